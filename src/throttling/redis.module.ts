import { Global, Module } from '@nestjs/common';
import { REDIS, RedisCloser, redisProvider } from 'src/throttling/redis.provider';

/** The optional shared Redis client (REDIS_URL), closed on shutdown. */
@Global()
@Module({
  providers: [redisProvider, RedisCloser],
  exports: [REDIS],
})
export class RedisModule {}
