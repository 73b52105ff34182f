import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import Redis from 'ioredis';
import { databaseConfig } from 'src/config/database.config';

/** The shared Redis client when REDIS_URL is set, else null (counters stay in this process). */
export const REDIS = Symbol('REDIS');

export const redisProvider = {
  provide: REDIS,
  inject: [databaseConfig.KEY],
  useFactory: (config: ConfigType<typeof databaseConfig>): Redis | null =>
    config.redisUrl ? new Redis(config.redisUrl, { maxRetriesPerRequest: 2, connectTimeout: 5_000 }) : null,
};

@Injectable()
export class RedisCloser implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis | null) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.redis) await this.redis.quit().catch(() => this.redis?.disconnect());
  }
}
