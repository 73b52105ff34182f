import { HttpException, HttpStatus, Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import Redis from 'ioredis';
import { AuditService, RequestOrigin } from 'src/audit/audit.service';
import { authConfig } from 'src/config/auth.config';
import { clientKey } from 'src/throttling/client-key';
import { CounterStore, MemoryCounterStore, RedisCounterStore } from 'src/throttling/counter-store';
import { REDIS } from 'src/throttling/redis.provider';
import { usernameKey } from 'src/users/username';

export const TOO_MANY_REQUESTS = 'Too many requests';

/** 429 with the contract's message; the exception filter turns `retryAfter` into the Retry-After header. */
export class TooManyRequestsException extends HttpException {
  constructor(retryAfterSeconds: number) {
    super(
      { statusCode: 429, message: TOO_MANY_REQUESTS, retryAfter: Math.max(1, retryAfterSeconds) },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}

/**
 * LOGIN_MAX_FAILURES failed logins for one username (known or not) from one
 * client (address, or IPv6 /64) within LOGIN_FAILURE_WINDOW seconds: further logins for that pair
 * are 429 until the window ends, even with the right password. A success resets it.
 */
@Injectable()
export class LoginAttemptsService implements OnModuleDestroy {
  private readonly store: CounterStore;

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
      this.audit.record('login.throttled', origin, { username: usernameKey(username), failures: count });
      throw new TooManyRequestsException(Math.ceil(ttlMs / 1000));
    }
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
    return `login-failures:${usernameKey(username)}:${clientKey(ip)}`;
  }
}
