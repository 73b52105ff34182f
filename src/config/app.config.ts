import { ConfigType, registerAs } from '@nestjs/config';
import { validateEnv } from 'src/config/env.validation';

export const appConfig = registerAs('app', () => {
  const env = validateEnv(process.env);
  return {
    port: env.PORT,
    host: env.HOST,
    production: env.NODE_ENV === 'production',
    development: env.NODE_ENV === 'development',
    trustProxy: env.TRUST_PROXY,
    corsOrigins: (env.CORS_ORIGINS ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    logLevel: env.LOG_LEVEL,
    metricsEnabled: env.METRICS_ENABLED,
    metricsToken: env.METRICS_TOKEN,
  };
});
export type AppConfig = ConfigType<typeof appConfig>;
