import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { ThrottlerModule } from '@nestjs/throttler';
import Redis from 'ioredis';
import { AuditModule } from 'src/audit/audit.module';
import { authConfig } from 'src/config/auth.config';
import { TOO_MANY_REQUESTS } from 'src/common/http/retry-later';
import { LoginAttemptsService } from 'src/throttling/login-attempts.service';
import { onRedis, REDIS } from 'src/throttling/redis.provider';
import { RedisModule } from 'src/throttling/redis.module';

/** The request limiter's Redis storage, failing closed with a 503 (not a 500) when Redis is down. */
class FailClosedRedisStorage extends ThrottlerStorageRedisService {
  override increment(...args: Parameters<ThrottlerStorageRedisService['increment']>) {
    return onRedis(() => super.increment(...args));
  }
}

/**
 * Abuse limits: RATE_LIMIT_PER_MINUTE per client address on the auth routes
 * (ThrottlerGuard, applied there), and the login-failure limiter. With
 * REDIS_URL both count in Redis, so every instance shares them.
 */
@Module({
  imports: [
    RedisModule,
    AuditModule,
    ThrottlerModule.forRootAsync({
      imports: [RedisModule],
      inject: [authConfig.KEY, REDIS],
      useFactory: (config: ConfigType<typeof authConfig>, redis: Redis | null) => ({
        // Named "default" so the guard sends a plain Retry-After header.
        throttlers: [{ name: 'default', ttl: 60_000, limit: config.rateLimitPerMinute }],
        errorMessage: TOO_MANY_REQUESTS,
        storage: redis ? new FailClosedRedisStorage(redis) : undefined,
      }),
    }),
  ],
  providers: [LoginAttemptsService],
  exports: [LoginAttemptsService],
})
export class ThrottlingModule {}
