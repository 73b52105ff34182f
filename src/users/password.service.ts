import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import * as bcrypt from 'bcrypt';
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { ConcurrencyLimit } from 'src/common/concurrency';
import { authConfig } from 'src/config/auth.config';
import { MetricsService } from 'src/metrics/metrics.service';

/**
 * bcrypt hashes in flight at once: one per CPU this process may use (its affinity, so a
 * `taskset` counts), and always at least one of libuv's thread-pool threads left free. A burst
 * of logins then queues here instead of filling the pool, where the SQLite queries and file
 * reads of every other request would wait behind whole hashes; and the CPUs are busy either way.
 */
export function bcryptConcurrency(
  cpus = availableParallelism(),
  poolSize = Number(process.env.UV_THREADPOOL_SIZE) || 4,
): number {
  return Math.max(1, Math.min(cpus, poolSize - 1));
}

/** bcrypt on its async API, so hashing runs on libuv's thread pool and never blocks the event loop. */
@Injectable()
export class PasswordService {
  private dummyHash?: Promise<string>;
  private readonly slots = new ConcurrencyLimit(bcryptConcurrency());

  constructor(
    @Inject(authConfig.KEY) private readonly config: ConfigType<typeof authConfig>,
    metrics: MetricsService,
  ) {
    metrics.observeBcrypt(() => ({ inFlight: this.slots.active, queued: this.slots.queued }));
  }

  hash(password: string): Promise<string> {
    return this.slots.run(() => bcrypt.hash(password, this.config.bcryptCost));
  }

  verify(password: string, hash: string): Promise<boolean> {
    return this.slots.run(() => bcrypt.compare(password, hash));
  }

  /**
   * Spends the time of one real comparison for a username that does not exist,
   * so response time does not tell which usernames are registered.
   */
  async burnEqualTime(password: string): Promise<false> {
    this.dummyHash ??= this.hash(randomBytes(18).toString('base64'));
    await this.verify(password, await this.dummyHash);
    return false;
  }

  /** Computes the dummy hash up front so the first unknown-user login is not slower than later ones. */
  async warmUp(): Promise<void> {
    this.dummyHash ??= this.hash(randomBytes(18).toString('base64'));
    await this.dummyHash;
  }
}
