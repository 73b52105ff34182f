import { plainToInstance, Transform } from 'class-transformer';
import { ConfigError } from 'src/config/config-error';
import { parseTrustProxy } from 'src/config/trust-proxy';
import { passwordProblems } from 'src/common/password-policy';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, validateSync } from 'class-validator';

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value.trim()) : value;

const toBool = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off', ''].includes(v)) return false;
  return value;
};

/** MAX_TASKS_PER_USER when unset (also the example in the OpenAPI document's 409). */
export const DEFAULT_MAX_TASKS_PER_USER = 10_000;

/** Every variable of the contract's configuration table; see .env.example. */
export class EnvironmentVariables {
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsOptional()
  @IsString()
  HOST = '127.0.0.1';

  @IsOptional()
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @IsOptional()
  @Matches(/^(sqlite:.+|postgres(ql)?:\/\/.+)$/, {
    message: 'DATABASE_URL must be sqlite:<file> or postgres://user:pass@host:port/db',
  })
  DATABASE_URL = 'sqlite:data/app.sqlite';

  @IsOptional()
  @IsString()
  JWT_SECRET?: string;

  @IsOptional()
  @IsString()
  JWT_PRIVATE_KEY_FILE?: string;

  @IsOptional()
  @IsString()
  JWT_PUBLIC_KEY_FILE?: string;

  /** Comma-separated PEM public keys of earlier signing keys: still verified and published until their tokens expire. */
  @IsOptional()
  @IsString()
  JWT_PREVIOUS_PUBLIC_KEY_FILES?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86_400)
  JWT_ACCESS_TTL = 900;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(31_536_000)
  JWT_REFRESH_TTL = 2_592_000;

  @IsOptional()
  @Matches(/^\S{1,200}$/, { message: 'JWT_ISSUER must be 1 to 200 characters without spaces' })
  JWT_ISSUER = 'task-api';

  @IsOptional()
  @Matches(/^\S{1,200}$/, { message: 'JWT_AUDIENCE must be 1 to 200 characters without spaces' })
  JWT_AUDIENCE = 'task-api';

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(4)
  @Max(15)
  BCRYPT_COST = 12;

  /** bcrypt work (logins, password changes, sign-ups) queued or running for one client address. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10_000)
  BCRYPT_MAX_PER_CLIENT = 4;

  /** The same for one username. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10_000)
  BCRYPT_MAX_PER_USERNAME = 4;

  /** bcrypt work waiting for a thread, all clients together. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100_000)
  BCRYPT_MAX_BACKLOG = 64;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  LOGIN_MAX_FAILURES = 5;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86_400)
  LOGIN_FAILURE_WINDOW = 900;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  RATE_LIMIT_PER_MINUTE = 600;

  /** Authenticated POST/PUT/PATCH/DELETE per user per minute. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  WRITE_RATE_LIMIT_PER_MINUTE = 300;

  /** Tasks one user may own; a create beyond it is 409 (issue 13: one heavy user must not slow everyone). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  MAX_TASKS_PER_USER = DEFAULT_MAX_TASKS_PER_USER;

  /** Live sessions one user may have; a login beyond it revokes that user's least recently used one. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10_000)
  MAX_SESSIONS_PER_USER = 20;

  /**
   * Authenticated requests of one user handled at once by this instance; the rest wait their
   * turn (in order, nothing refused), so one user's many connections cannot fill the event
   * loop's and the database's queues in front of everyone else's requests (issue 13).
   */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10_000)
  MAX_REQUESTS_IN_FLIGHT_PER_USER = 4;

  /** Key of the HMAC-SHA256 that personal access tokens are stored as; derived from JWT_SECRET when unset. */
  @IsOptional()
  @IsString()
  PAT_HASH_KEY?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3650)
  PAT_MAX_TTL_DAYS = 365;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100_000)
  PAT_MAX_FAILURES = 20;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3650)
  AUDIT_RETENTION_DAYS = 90;

  @IsOptional()
  @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must be redis://host:port' })
  REDIS_URL?: string;

  /** Longest wait for one Redis command; a slower or unreachable Redis is a 503, not a stalled request. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(5)
  @Max(10_000)
  REDIS_TIMEOUT_MS = 50;

  /** Tries to reach the database at start-up (0: keep trying) before the process exits. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  DATABASE_CONNECT_ATTEMPTS = 10;

  /** First wait between those tries; each wait doubles, up to 30 s. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(60_000)
  DATABASE_CONNECT_BACKOFF_MS = 500;

  @IsOptional()
  @Matches(/^[A-Za-z0-9._-]{3,32}$/, {
    message: 'ADMIN_USERNAME must be 3 to 32 characters of letters, digits, ".", "_" or "-"',
  })
  ADMIN_USERNAME?: string;

  @IsOptional()
  @IsString()
  ADMIN_PASSWORD?: string;

  @IsOptional()
  @IsString()
  CORS_ORIGINS?: string;

  /** Seconds a client has to send a whole request, body included; then 408 and the connection closes. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(600)
  REQUEST_TIMEOUT = 30;

  /** Seconds a client has to send its request line and headers. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(600)
  HEADERS_TIMEOUT = 10;

  /** A hop count or proxy addresses/CIDRs (src/config/trust-proxy.ts); `true` is refused. */
  @IsOptional()
  @IsString()
  TRUST_PROXY?: string;

  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** false: no GET /metrics and no per-request metrics (the benchmark measures their cost with it). */
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  METRICS_ENABLED = true;

  /** In production GET /metrics answers only `Authorization: Bearer <METRICS_TOKEN>` (404 while unset). */
  @IsOptional()
  @Matches(/^[\x21-\x7e]{32,256}$/, {
    message: 'METRICS_TOKEN must be 32 to 256 printable characters without spaces',
  })
  METRICS_TOKEN?: string;
}

export { ConfigError };

/**
 * Validates the raw environment for ConfigModule. Empty strings count as unset,
 * so `PORT=` in a .env file means "use the default". The first broken rule is
 * reported as one line that names the variable.
 */
export function validateEnv(raw: Record<string, unknown>): EnvironmentVariables {
  const present = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined && v !== ''));
  const env = plainToInstance(EnvironmentVariables, present, { exposeDefaultValues: true });
  const errors = validateSync(env, { forbidUnknownValues: false });
  if (errors.length > 0) {
    const first = errors[0];
    const constraints = first.constraints ?? {};
    // A wrong type explains itself better than the range rules that also fail on it.
    const typeRule = ['isInt', 'isBoolean', 'isString'].find((rule) => rule in constraints);
    const why = (typeRule ? constraints[typeRule] : Object.values(constraints)[0]) ?? 'is invalid';
    throw new ConfigError(`Invalid configuration: ${why}`);
  }
  if (Boolean(env.JWT_PRIVATE_KEY_FILE) !== Boolean(env.JWT_PUBLIC_KEY_FILE)) {
    throw new ConfigError('Invalid configuration: JWT_PRIVATE_KEY_FILE and JWT_PUBLIC_KEY_FILE must be set together');
  }
  if (env.JWT_PREVIOUS_PUBLIC_KEY_FILES && !env.JWT_PUBLIC_KEY_FILE) {
    throw new ConfigError(
      'Invalid configuration: JWT_PREVIOUS_PUBLIC_KEY_FILES needs JWT_PRIVATE_KEY_FILE and JWT_PUBLIC_KEY_FILE',
    );
  }
  parseTrustProxy(env.TRUST_PROXY);
  if (env.HEADERS_TIMEOUT > env.REQUEST_TIMEOUT) {
    throw new ConfigError('Invalid configuration: HEADERS_TIMEOUT must not be greater than REQUEST_TIMEOUT');
  }
  // Below 10 only for the test suite, where a hash's cost is not what is tested (~1 ms at 4, ~60 ms at 10).
  if (env.BCRYPT_COST < 10 && env.NODE_ENV !== 'test') {
    throw new ConfigError('Invalid configuration: BCRYPT_COST must not be less than 10');
  }
  if (env.ADMIN_USERNAME && !env.ADMIN_PASSWORD) {
    throw new ConfigError('Invalid configuration: ADMIN_PASSWORD is required when ADMIN_USERNAME is set');
  }
  const adminPasswordProblem = env.ADMIN_PASSWORD
    ? passwordProblems(env.ADMIN_PASSWORD, 'ADMIN_PASSWORD', env.ADMIN_USERNAME)[0]
    : undefined;
  if (adminPasswordProblem) throw new ConfigError(`Invalid configuration: ${adminPasswordProblem}`);
  return env;
}
