import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { setTimeout as sleep } from 'node:timers/promises';
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
  private readonly stopping = new AbortController();
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
    this.stopping.abort();
  }

  private async open(): Promise<void> {
    const attempts = this.config.connectAttempts === 0 ? Infinity : this.config.connectAttempts;
    let delay = this.config.connectBackoffMs;
    // Hand-written loop: a backoff library's wait cannot be cut short at shutdown; this abortable
    // timer can, so a closing application (or test) is never held open by it.
    for (let attempt = 1; ; attempt++) {
      try {
        await this.tryOnce();
        this.ready = true;
        this.settle.resolve();
        return;
      } catch (error) {
        // Only an unreachable database is worth waiting for; bad credentials or settings fail at once.
        if (this.stopping.signal.aborted || !dependencyFailure(error) || attempt >= attempts) {
          this.settle.reject(error);
          return;
        }
        this.logger.warn(
          `Database not reachable at start-up (try ${attempt} of ${this.config.connectAttempts || 'unlimited'}): ${(error as Error).message}; retrying in ${delay} ms`,
        );
      }
      try {
        await sleep(delay, undefined, { signal: this.stopping.signal });
      } catch (error) {
        this.settle.reject(error);
        return;
      }
      delay = Math.min(delay * 2, MAX_BACKOFF_MS);
    }
  }

  private async tryOnce(): Promise<void> {
    if (this.stopping.signal.aborted) throw new Error('Shutting down');
    if (!this.dataSource.isInitialized) await this.dataSource.initialize();
    if (this.stopping.signal.aborted) {
      // The application closed while this try was under way: nobody else will close it.
      await this.dataSource.destroy();
      throw new Error('Shutting down');
    }
    for (const task of this.tasks) await task();
  }
}
