import { ConfigError, validateEnv } from 'src/config/env.validation';

describe('validateEnv', () => {
  it('fills in the contract defaults', () => {
    expect(validateEnv({})).toMatchObject({
      PORT: 3000,
      HOST: '127.0.0.1',
      NODE_ENV: 'development',
      DATABASE_URL: 'sqlite:data/app.sqlite',
      JWT_ACCESS_TTL: 900,
      JWT_REFRESH_TTL: 2_592_000,
      JWT_ISSUER: 'task-api',
      JWT_AUDIENCE: 'task-api',
      BCRYPT_COST: 12,
      BCRYPT_MAX_PER_CLIENT: 4,
      BCRYPT_MAX_PER_USERNAME: 4,
      BCRYPT_MAX_BACKLOG: 64,
      LOGIN_MAX_FAILURES: 5,
      LOGIN_FAILURE_WINDOW: 900,
      RATE_LIMIT_PER_MINUTE: 600,
      REDIS_TIMEOUT_MS: 50,
      DATABASE_CONNECT_ATTEMPTS: 10,
      DATABASE_CONNECT_BACKOFF_MS: 500,
      TRUST_PROXY: false,
      LOG_LEVEL: 'info',
    });
  });

  it('converts numbers and booleans, and treats an empty value as unset', () => {
    expect(validateEnv({ PORT: '8080', TRUST_PROXY: 'true', BCRYPT_COST: '' })).toMatchObject({
      PORT: 8080,
      TRUST_PROXY: true,
      BCRYPT_COST: 12,
    });
  });

  it('takes a BCRYPT_COST below 10 only for the test suite (NODE_ENV=test)', () => {
    expect(validateEnv({ NODE_ENV: 'test', BCRYPT_COST: '4' }).BCRYPT_COST).toBe(4);
  });

  it.each([
    [{ PORT: 'abc' }, 'Invalid configuration: PORT must be an integer number'],
    [{ PORT: '70000' }, 'Invalid configuration: PORT must not be greater than 65535'],
    [{ BCRYPT_COST: '9' }, 'Invalid configuration: BCRYPT_COST must not be less than 10'],
    [{ BCRYPT_COST: '4', NODE_ENV: 'production' }, 'Invalid configuration: BCRYPT_COST must not be less than 10'],
    [{ BCRYPT_COST: '3', NODE_ENV: 'test' }, 'Invalid configuration: BCRYPT_COST must not be less than 4'],
    [{ BCRYPT_COST: '16' }, 'Invalid configuration: BCRYPT_COST must not be greater than 15'],
    [{ BCRYPT_COST: '12.5' }, 'Invalid configuration: BCRYPT_COST must be an integer number'],
    [{ BCRYPT_MAX_PER_CLIENT: '0' }, 'Invalid configuration: BCRYPT_MAX_PER_CLIENT must not be less than 1'],
    [{ BCRYPT_MAX_BACKLOG: 'lots' }, 'Invalid configuration: BCRYPT_MAX_BACKLOG must be an integer number'],
    [{ NODE_ENV: 'prod' }, /NODE_ENV/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL must be sqlite:<file> or postgres/],
    [{ TRUST_PROXY: 'maybe' }, 'Invalid configuration: TRUST_PROXY must be a boolean value'],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    [{ JWT_PRIVATE_KEY_FILE: 'k.pem' }, /JWT_PRIVATE_KEY_FILE and JWT_PUBLIC_KEY_FILE must be set together/],
    [{ ADMIN_USERNAME: 'root' }, /ADMIN_PASSWORD is required/],
    [{ ADMIN_USERNAME: 'root', ADMIN_PASSWORD: 'password1' }, 'Invalid configuration: ADMIN_PASSWORD is too common'],
    [
      { ADMIN_USERNAME: 'Boss', ADMIN_PASSWORD: 'the-boss-horse-battery' },
      'Invalid configuration: ADMIN_PASSWORD must not contain the username',
    ],
    [{ ADMIN_USERNAME: 'x y', ADMIN_PASSWORD: 'correct-horse-battery' }, /ADMIN_USERNAME/],
  ])('refuses %j with one line naming the variable', (env, message) => {
    expect(() => validateEnv(env)).toThrow(ConfigError);
    expect(() => validateEnv(env)).toThrow(message);
    try {
      validateEnv(env);
    } catch (e) {
      expect((e as Error).message).not.toContain('\n');
    }
  });
});
