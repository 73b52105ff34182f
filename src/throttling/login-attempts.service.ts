import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import Redis from 'ioredis';
import { AuditService, RequestOrigin } from 'src/audit/audit.service';
import { TooManyRequestsException } from 'src/common/http/retry-later';
import { authConfig } from 'src/config/auth.config';
import { CounterStore, MemoryCounterStore, RedisCounterStore } from 'src/throttling/counter-store';
import { REDIS } from 'src/throttling/redis.provider';
import { usernameKey } from 'src/users/username';

/**
 * LOGIN_MAX_FAILURES failed logins for one username (known or not) from one
 * address within LOGIN_FAILURE_WINDOW seconds: further logins for that pair
 * are 429 until the window ends, even with the right password. A success resets it.
 */
@Injectable()
export class LoginAttemptsService implements OnModuleDestroy {
  private readonly store: CounterStore;
  private throttled = 0;

  constructor(
    @Inject(authConfig.KEY) private readonly config: ConfigType<typeof authConfig>,
    @Inject(REDIS) redis: Redis | null,
    private readonly audit: AuditService,
  ) {
    this.store = redis ? new RedisCounterStore(redis) : new MemoryCounterStore();
  }

  /** Throws 429 when the pair has used up its failures. */
  async assertAllowed(username: string, origin: RequestOrigin): Promise<void> {
    const { count, ttlMs } = await this.store.get(this.key(username, origin.ip));
    if (count >= this.config.loginMaxFailures) {
      this.throttled++;
      this.audit.record('login.throttled', origin, { username: usernameKey(username), failures: count });
      throw new TooManyRequestsException(Math.ceil(ttlMs / 1000));
    }
  }

  /** Password checks (logins, password changes) this instance refused with 429 since it started, for metrics. */
  throttleCount(): number {
    return this.throttled;
  }

  async recordFailure(username: string, ip: string): Promise<void> {
    await this.store.increment(this.key(username, ip), this.config.loginFailureWindow * 1000);
  }

  async reset(username: string, ip: string): Promise<void> {
    await this.store.reset(this.key(username, ip));
  }

  onModuleDestroy(): void {
    if (this.store instanceof MemoryCounterStore) this.store.close();
  }

  private key(username: string, ip: string): string {
    return `login-failures:${usernameKey(username)}:${ip}`;
  }
}
