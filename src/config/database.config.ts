import { registerAs } from '@nestjs/config';
import { validateEnv } from 'src/config/env.validation';

export const databaseConfig = registerAs('database', () => {
  const env = validateEnv(process.env);
  return { url: env.DATABASE_URL };
});
export type DatabaseConfig = ReturnType<typeof databaseConfig>;
