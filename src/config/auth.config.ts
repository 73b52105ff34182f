import { ConfigType, registerAs } from '@nestjs/config';
import { join } from 'node:path';
import { validateEnv } from 'src/config/env.validation';
import { resolveJwtSecret } from 'src/config/jwt-secret';

export const authConfig = registerAs('auth', () => {
  const env = validateEnv(process.env);
  return {
    jwtSecret: resolveJwtSecret(env.JWT_SECRET, env.NODE_ENV === 'production', join('data', 'jwt-secret')),
    privateKeyFile: env.JWT_PRIVATE_KEY_FILE,
    publicKeyFile: env.JWT_PUBLIC_KEY_FILE,
    previousPublicKeyFiles: (env.JWT_PREVIOUS_PUBLIC_KEY_FILES ?? '')
      .split(',')
      .map((f) => f.trim())
      .filter(Boolean),
    accessTtl: env.JWT_ACCESS_TTL,
    refreshTtl: env.JWT_REFRESH_TTL,
    issuer: env.JWT_ISSUER,
    audience: env.JWT_AUDIENCE,
    bcryptCost: env.BCRYPT_COST,
    bcryptMaxPerClient: env.BCRYPT_MAX_PER_CLIENT,
    bcryptMaxPerUsername: env.BCRYPT_MAX_PER_USERNAME,
    bcryptMaxBacklog: env.BCRYPT_MAX_BACKLOG,
    loginMaxFailures: env.LOGIN_MAX_FAILURES,
    loginFailureWindow: env.LOGIN_FAILURE_WINDOW,
    rateLimitPerMinute: env.RATE_LIMIT_PER_MINUTE,
    adminUsername: env.ADMIN_USERNAME,
    adminPassword: env.ADMIN_PASSWORD,
  };
});
export type AuthConfig = ConfigType<typeof authConfig>;
