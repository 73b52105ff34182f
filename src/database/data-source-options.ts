import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Client } from 'pg';
import * as sqlite3 from 'sqlite3';
import { DataSourceOptions } from 'typeorm';

/**
 * Every migration in migrations/, found by name (TypeORM runs them in timestamp
 * order and skips `.d.ts`): `.js` in the build, `.ts` under Jest.
 */
export const migrations = [join(__dirname, 'migrations', '*.{js,ts}')];

/**
 * sqlite3 with `verbose()` a no-op. TypeORM calls `driver.verbose()` on load, which
 * wraps every Database and Statement method of the process in a long-stack-trace
 * shim (a `new Error()` and `util.inspect` of the SQL and every parameter per
 * call): about a tenth of an authenticated request's CPU. Errors still carry the
 * SQL through TypeORM's QueryFailedError. Hand-written: neither library has an option.
 */
const quietSqlite: Record<string, unknown> = { ...sqlite3, verbose: () => quietSqlite };

/** What the application hears from the PostgreSQL pool (the CLI listens to nothing). */
export interface ConnectionEvents {
  /** A connection failed or was terminated (for example by `pg_terminate_backend` or a restart). */
  error(error: Error): void;
  /** A new connection was opened: the database answers again. */
  connected(): void;
}

const QUIET: ConnectionEvents = { error: () => undefined, connected: () => undefined };

/**
 * node-postgres clients that always have an 'error' listener. pg-pool hands a
 * released client to a waiting `pool.connect()` before TypeORM attaches its own
 * listener (a later microtask); a termination message (57P01) read in that gap,
 * or while no listener is attached for any other reason, would be an unhandled
 * 'error' event and end the process. The failed query still gets its error, and
 * the pool drops the client (it is no longer queryable).
 */
function listenedClient(events: ConnectionEvents): typeof Client {
  return class ListenedClient extends Client {
    constructor(...args: ConstructorParameters<typeof Client>) {
      super(...args);
      this.on('error', (error) => events.error(error));
      this.on('connect', () => events.connected());
    }
  };
}

/**
 * TypeORM options for a DATABASE_URL: `sqlite:<file>` (WAL, busy timeout,
 * foreign keys on) or `postgres://…`. Schema comes from migrations only. No
 * entity list: the app loads each feature's entities from its
 * `TypeOrmModule.forFeature` (autoLoadEntities), the CLI's data source by file name.
 */
export function dataSourceOptions(url: string, events: ConnectionEvents = QUIET): DataSourceOptions {
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length);
    const database = file === ':memory:' ? file : resolve(file);
    if (database !== ':memory:') mkdirSync(dirname(database), { recursive: true });
    return {
      type: 'sqlite',
      driver: quietSqlite,
      database,
      enableWAL: true,
      // Writers wait for each other instead of failing with SQLITE_BUSY.
      busyTimeout: 10_000,
      migrations,
      migrationsRun: true,
      synchronize: false,
      logging: false,
    };
  }
  return {
    type: 'postgres',
    url,
    migrations,
    migrationsRun: true,
    synchronize: false,
    logging: false,
    extra: { max: 10, connectionTimeoutMillis: 5_000, Client: listenedClient(events) },
    // An idle pooled connection that dies is reported, not a TypeORM console warning.
    poolErrorHandler: (error: Error) => events.error(error),
  };
}
