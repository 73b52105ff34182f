import { QueryFailedError } from 'typeorm';

/** What the service depends on at run time; a failure of any is a 503, never a 401 or a bare 500. */
export type Dependency = 'database' | 'redis' | 'disk';

/** Seconds a client is told to wait (`Retry-After`) when a dependency is down. */
export const RETRY_AFTER_SECONDS = 5;

/** The 503's message per dependency (docs/API.md, "Errors"). */
export const UNAVAILABLE_MESSAGE: Record<Dependency, string> = {
  database: 'Database is unavailable, try again later',
  redis: 'Rate-limit store (Redis) is unavailable, try again later',
  disk: 'Storage is full, try again later',
};

/** A call to a dependency that failed; the exception filter answers it with 503 and `Retry-After`. */
export class DependencyUnavailableError extends Error {
  constructor(
    readonly dependency: Dependency,
    cause?: unknown,
  ) {
    super(`${dependency} unavailable: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'DependencyUnavailableError';
  }
}

/** SQLite result codes (https://www.sqlite.org/rescode.html) that mean the file or its disk failed, not the query. */
const SQLITE_DISK = new Set(['SQLITE_FULL']);
const SQLITE_DOWN = new Set(['SQLITE_IOERR', 'SQLITE_CANTOPEN', 'SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_NOMEM']);

/** Socket-level failures of a database connection. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/** node-postgres and TypeORM report a lost or unobtainable connection by message only. */
const DATABASE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|not queryable|Cannot use a pool after calling end|Client was closed|Connection is not established|Query runner already released/i;

/** ioredis reports an unusable connection by message only (offline queue off, command timeout, closed). */
const REDIS_MESSAGES =
  /Stream isn't writeable|enableOfflineQueue|Command timed out|Connection is closed|max retries per request/i;

/**
 * Which dependency an error says is failing, or undefined when it is not a
 * dependency failure (a bug, or a constraint the caller broke).
 */
export function dependencyFailure(error: unknown): Dependency | undefined {
  if (error instanceof DependencyUnavailableError) return error.dependency;
  if (!(error instanceof Error)) return undefined;
  const driverError = error instanceof QueryFailedError ? (error.driverError as unknown) : error;
  const { code, message } = (driverError ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string') {
    if (SQLITE_DISK.has(code) || code === 'ENOSPC' || code === 'EDQUOT' || code === '53100') return 'disk';
    if (SQLITE_DOWN.has(code) || NETWORK_CODES.has(code)) return 'database';
    // PostgreSQL SQLSTATE classes: 08 connection exception, 53 insufficient resources, 57P admin/crash
    // shutdown or cannot connect now, 58 system error (https://www.postgresql.org/docs/current/errcodes-appendix.html).
    if (/^(08|53|58)[0-9A-Z]{3}$|^57P0[1-4]$/.test(code)) return 'database';
  }
  const text = typeof message === 'string' ? message : error.message;
  if (DATABASE_MESSAGES.test(text)) return 'database';
  if (REDIS_MESSAGES.test(text)) return 'redis';
  return undefined;
}
