import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
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

/**
 * TypeORM options for a DATABASE_URL: `sqlite:<file>` (WAL, busy timeout,
 * foreign keys on) or `postgres://…`. Schema comes from migrations only. No
 * entity list: the app loads each feature's entities from its
 * `TypeOrmModule.forFeature` (autoLoadEntities), the CLI's data source by file name.
 */
export function dataSourceOptions(url: string): DataSourceOptions {
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
    extra: { max: 10, connectionTimeoutMillis: 5_000 },
  };
}
