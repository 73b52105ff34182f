import { ConfigType, registerAs } from '@nestjs/config';
import { validateEnv } from 'src/config/env.validation';

export const databaseConfig = registerAs('database', () => {
  const env = validateEnv(process.env);
  return {
    url: env.DATABASE_URL,
    connectAttempts: env.DATABASE_CONNECT_ATTEMPTS,
    connectBackoffMs: env.DATABASE_CONNECT_BACKOFF_MS,
    redisUrl: env.REDIS_URL,
    redisTimeoutMs: env.REDIS_TIMEOUT_MS,
  };
});
export type DatabaseConfig = ConfigType<typeof databaseConfig>;
