import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import * as sqlite3 from 'sqlite3';
import { DataSourceOptions } from 'typeorm';
import { IdempotencyKey } from 'src/idempotency/idempotency-key.entity';
import { Product } from 'src/products/product.entity';
import { Session } from 'src/sessions/session.entity';
import { Task } from 'src/tasks/task.entity';
import { User } from 'src/users/user.entity';
import { migrations } from 'src/database/migrations';

export const entities = [User, Session, Product, Task, IdempotencyKey];

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
 * foreign keys on) or `postgres://…`. Schema comes from migrations only.
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
      entities,
      migrations,
      migrationsRun: true,
      synchronize: false,
      logging: false,
    };
  }
  return {
    type: 'postgres',
    url,
    entities,
    migrations,
    migrationsRun: true,
    synchronize: false,
    logging: false,
    extra: { max: 10, connectionTimeoutMillis: 5_000 },
  };
}
