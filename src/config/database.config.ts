import { ConfigType, registerAs } from '@nestjs/config';
import { validateEnv } from 'src/config/env.validation';

export const databaseConfig = registerAs('database', () => {
  const env = validateEnv(process.env);
  return { url: env.DATABASE_URL, redisUrl: env.REDIS_URL };
});
export type DatabaseConfig = ConfigType<typeof databaseConfig>;
