import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import * as bcrypt from 'bcrypt';
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { FairConcurrencyLimit, FairLimitStats, WorkRefusedError } from 'src/common/concurrency';
import { ServerBusyException, TooManyRequestsException } from 'src/common/http/retry-later';
import { authConfig } from 'src/config/auth.config';
import { normalizePassword } from 'src/common/password-policy';
import { MetricsService } from 'src/metrics/metrics.service';
import { usernameKey } from 'src/users/username';

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

/** Whose password work this is: the client address and the username it is for. */
export interface PasswordWorkFor {
  ip: string;
  username: string;
}

/** The client key of work the service does for itself (the start-up admin, the CLI). */
export const LOCAL_CLIENT = 'local';

/** A stored password: its bcrypt hash, and whether that hash is of the NFKC-normalised password. */
export interface StoredPassword {
  passwordHash: string;
  passwordNormalized: boolean;
}

/**
 * bcrypt on its async API, so hashing runs on libuv's thread pool and never blocks the event loop.
 * The hashes share bcryptConcurrency() slots fairly between client addresses; work beyond
 * BCRYPT_MAX_PER_CLIENT or BCRYPT_MAX_PER_USERNAME is 429, beyond BCRYPT_MAX_BACKLOG 503.
 */
@Injectable()
export class PasswordService {
  private dummyHash?: Promise<string>;
  private readonly work: FairConcurrencyLimit;

  constructor(
    @Inject(authConfig.KEY) private readonly config: ConfigType<typeof authConfig>,
    metrics: MetricsService,
  ) {
    this.work = new FairConcurrencyLimit({
      slots: bcryptConcurrency(),
      perClient: config.bcryptMaxPerClient,
      perUsername: config.bcryptMaxPerUsername,
      backlog: config.bcryptMaxBacklog,
    });
    metrics.observeBcrypt(() => this.work.stats());
  }

  /** Hashes the normalised password. */
  hash(password: string, who: PasswordWorkFor): Promise<string> {
    return this.run(who, () => bcrypt.hash(normalizePassword(password), this.config.bcryptCost));
  }

  /** Compares in the form the hash was made from: normalised, or as typed for a hash from before normalisation. */
  verify(password: string, stored: StoredPassword, who: PasswordWorkFor): Promise<boolean> {
    const candidate = stored.passwordNormalized ? normalizePassword(password) : password;
    return this.run(who, () => bcrypt.compare(candidate, stored.passwordHash));
  }

  /**
   * Spends the time of one real comparison for a username that does not exist,
   * through the same queue and bounds, so response time does not tell which usernames are registered.
   */
  async burnEqualTime(password: string, who: PasswordWorkFor): Promise<false> {
    await this.verify(password, { passwordHash: await this.dummy(), passwordNormalized: true }, who);
    return false;
  }

  /** Computes the dummy hash up front so the first unknown-user login is not slower than later ones. */
  async warmUp(): Promise<void> {
    await this.dummy();
  }

  /** Hashes running and waiting, and the work refused by each bound since start (for metrics). */
  stats(): FairLimitStats {
    return this.work.stats();
  }

  // Outside the fair queue: one hash per process, and a refusal must not be cached as the dummy.
  private dummy(): Promise<string> {
    this.dummyHash ??= bcrypt.hash(randomBytes(18).toString('base64'), this.config.bcryptCost);
    return this.dummyHash;
  }

  private async run<T>(who: PasswordWorkFor, task: () => Promise<T>): Promise<T> {
    try {
      return await this.work.run({ client: who.ip, username: usernameKey(who.username) }, task);
    } catch (error) {
      if (!(error instanceof WorkRefusedError)) throw error;
      // A saturated service is nobody's fault in particular: 503; one address or username over its share: 429.
      if (error.bound === 'backlog') throw new ServerBusyException(error.retryAfterSeconds);
      throw new TooManyRequestsException(error.retryAfterSeconds);
    }
  }
}
