import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import Redis from 'ioredis';
import { authConfig } from 'src/config/auth.config';
import { CounterStore, counterStoreFor, MemoryCounterStore } from 'src/throttling/counter-store';
import { TooManyRequestsException } from 'src/common/http/retry-later';
import { REDIS } from 'src/throttling/redis.provider';

/**
 * PAT_MAX_FAILURES unknown personal access tokens from one address within
 * LOGIN_FAILURE_WINDOW seconds: further personal-access-token requests from it are
 * 429 until the window ends, before any lookup. Shared through Redis when configured.
 */
@Injectable()
export class TokenAttemptsService implements OnModuleDestroy {
  private readonly store: CounterStore;

  constructor(
    @Inject(authConfig.KEY) private readonly config: ConfigType<typeof authConfig>,
    @Inject(REDIS) redis: Redis | null,
  ) {
    this.store = counterStoreFor(redis);
  }

  async assertAllowed(ip: string): Promise<void> {
    const { count, ttlMs } = await this.store.get(this.key(ip));
    if (count >= this.config.patMaxFailures) throw new TooManyRequestsException(Math.ceil(ttlMs / 1000));
  }

  async recordFailure(ip: string): Promise<void> {
    await this.store.increment(this.key(ip), this.config.loginFailureWindow * 1000);
  }

  onModuleDestroy(): void {
    if (this.store instanceof MemoryCounterStore) this.store.close();
  }

  private key(ip: string): string {
    return `pat-failures:${ip}`;
  }
}
