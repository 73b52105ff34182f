// One small promise API over the two drivers the service uses (sqlite3, pg), for
// the baseline server and the seeding: SQL is written with `?` placeholders.
import { resolve } from 'node:path';

export async function openDatabase(url) {
  if (!url) throw new Error('DATABASE_URL is not set');
  return url.startsWith('sqlite:') ? openSqlite(url.slice('sqlite:'.length)) : openPostgres(url);
}

async function openSqlite(file) {
  const { default: sqlite3 } = await import('sqlite3');
  const db = await new Promise((ok, fail) => {
    const d = new sqlite3.Database(resolve(file), (error) => (error ? fail(error) : ok(d)));
  });
  const call = (method, sql, params = []) =>
    new Promise((ok, fail) =>
      db[method](sql, params, function (error, result) {
        if (error) fail(error);
        else ok(method === 'run' ? { changes: this.changes } : result);
      }),
    );
  const api = {
    dialect: 'sqlite',
    get: (sql, params) => call('get', sql, params),
    all: (sql, params) => call('all', sql, params),
    run: (sql, params) => call('run', sql, params),
    exec: (sql) => new Promise((ok, fail) => db.exec(sql, (error) => (error ? fail(error) : ok()))),
    close: () => new Promise((ok) => db.close(() => ok())),
    // TypeORM's SQLite format: UTC, 'YYYY-MM-DD HH:MM:SS.SSS'.
    timestamp: (d) => d.toISOString().replace('T', ' ').replace('Z', ''),
    date: (v) => (v instanceof Date ? v : new Date(`${String(v).replace(' ', 'T')}Z`)),
    bool: (b) => (b ? 1 : 0),
  };
  // As the service opens it (TypeORM's sqlite driver with enableWAL and busyTimeout).
  await api.exec('PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON;');
  return api;
}

async function openPostgres(url) {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const numbered = (sql) => {
    let n = 0;
    return sql.replace(/\?/g, () => `$${++n}`);
  };
  const query = (sql, params = []) => pool.query(numbered(sql), params);
  return {
    dialect: 'postgres',
    get: async (sql, params) => (await query(sql, params)).rows[0],
    all: async (sql, params) => (await query(sql, params)).rows,
    run: async (sql, params) => ({ changes: (await query(sql, params)).rowCount }),
    exec: async (sql) => {
      await pool.query(sql);
    },
    close: () => pool.end(),
    timestamp: (d) => d,
    date: (v) => (v instanceof Date ? v : new Date(v)),
    bool: (b) => Boolean(b),
  };
}
