import { Global, Module } from '@nestjs/common';
import { REDIS, RedisLifecycle, redisProvider } from 'src/throttling/redis.provider';

/** The optional shared Redis client (REDIS_URL), closed on shutdown. */
@Global()
@Module({
  providers: [redisProvider, RedisLifecycle],
  exports: [REDIS],
})
export class RedisModule {}
