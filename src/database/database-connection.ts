import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { backOff } from 'exponential-backoff';
import { DataSource } from 'typeorm';
import { dependencyFailure } from 'src/common/dependencies/dependency-failure';
import { databaseConfig } from 'src/config/database.config';

/** Longest wait between two start-up tries. */
const MAX_BACKOFF_MS = 30_000;

/**
 * Opens the database after the server is listening, retrying with exponential
 * backoff (DATABASE_CONNECT_ATTEMPTS, DATABASE_CONNECT_BACKOFF_MS), so a service
 * started while its database is down answers 503 (readiness included) instead of
 * crash-looping. Migrations and the start-up tasks features register (the first
 * admin) run once it is open; `ready` turns true after them.
 */
@Injectable()
export class DatabaseConnection implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Database');
  private readonly tasks: Array<() => Promise<void>> = [];
  private stopped = false;
  private settle!: { resolve: () => void; reject: (error: unknown) => void };
  /** Resolves once the database is open and the start-up tasks ran; rejects when the tries run out. */
  readonly whenReady = new Promise<void>((resolve, reject) => (this.settle = { resolve, reject }));
  ready = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(databaseConfig.KEY) private readonly config: ConfigType<typeof databaseConfig>,
  ) {
    // Whoever awaits it sees a failure; an unawaited one must not be an unhandled rejection.
    this.whenReady.catch(() => undefined);
  }

  /** A task to run once the database is open, before `ready` (register it in onModuleInit). */
  afterConnect(task: () => Promise<void>): void {
    this.tasks.push(task);
  }

  onApplicationBootstrap(): void {
    void this.open();
  }

  onApplicationShutdown(): void {
    this.stopped = true;
  }

  private async open(): Promise<void> {
    const attempts = this.config.connectAttempts === 0 ? Infinity : this.config.connectAttempts;
    try {
      await backOff(() => this.tryOnce(), {
        numOfAttempts: attempts,
        startingDelay: this.config.connectBackoffMs,
        timeMultiple: 2,
        maxDelay: MAX_BACKOFF_MS,
        retry: (error: unknown, next: number) => {
          // Only an unreachable database is worth waiting for; bad credentials or settings fail at once.
          if (this.stopped || !dependencyFailure(error)) return false;
          this.logger.warn(
            `Database not reachable at start-up (try ${next} of ${this.config.connectAttempts || 'unlimited'}): ${(error as Error).message}; retrying`,
          );
          return true;
        },
      });
    } catch (error) {
      this.settle.reject(error);
      return;
    }
    this.ready = true;
    this.settle.resolve();
  }

  private async tryOnce(): Promise<void> {
    if (this.stopped) throw new Error('Shutting down');
    if (!this.dataSource.isInitialized) await this.dataSource.initialize();
    if (this.stopped) {
      // The application closed while this try was under way: nobody else will close it.
      await this.dataSource.destroy();
      throw new Error('Shutting down');
    }
    for (const task of this.tasks) await task();
  }
}
