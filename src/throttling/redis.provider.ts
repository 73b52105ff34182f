import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import Redis from 'ioredis';
import { DependencyUnavailableError } from 'src/common/dependencies/dependency-failure';
import { Outages } from 'src/common/dependencies/outages';
import { databaseConfig } from 'src/config/database.config';

/** The shared Redis client when REDIS_URL is set, else null (counters stay in this process). */
export const REDIS = Symbol('REDIS');

/** Longest wait for Redis at start-up before serving anyway (the limited routes are 503 until it answers). */
const STARTUP_WAIT_MS = 2_000;

/**
 * A Redis client that never makes a request wait on a Redis that is down: no
 * offline queue and no resend (a command fails at once while disconnected),
 * and REDIS_TIMEOUT_MS per command. It reconnects in the background; its
 * errors are reported once per outage episode instead of printed by ioredis.
 */
export function createRedis(url: string, timeoutMs: number, outages: Outages): Redis {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: timeoutMs,
    connectTimeout: 2_000,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
  });
  redis.on('error', (error: Error) => outages.failed('redis', error));
  redis.on('ready', () => outages.recovered('redis'));
  return redis;
}

export const redisProvider = {
  provide: REDIS,
  inject: [databaseConfig.KEY, Outages],
  useFactory: (config: ConfigType<typeof databaseConfig>, outages: Outages): Redis | null =>
    config.redisUrl ? createRedis(config.redisUrl, config.redisTimeoutMs, outages) : null,
};

/** Runs a Redis call; any failure of it (down, timed out, closed) is a DependencyUnavailableError (503). */
export async function onRedis<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw new DependencyUnavailableError('redis', error);
  }
}

/** Gives the first Redis connection a moment at start-up (commands are not queued), and closes it on shutdown. */
@Injectable()
export class RedisLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis | null) {}

  async onApplicationBootstrap(): Promise<void> {
    const redis = this.redis;
    if (!redis || redis.status === 'ready') return;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        redis.off('ready', done).off('error', done);
        resolve();
      };
      const timer = setTimeout(done, STARTUP_WAIT_MS);
      redis.once('ready', done).once('error', done);
    });
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.redis) await this.redis.quit().catch(() => this.redis?.disconnect());
  }
}
