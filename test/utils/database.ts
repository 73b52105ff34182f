import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Client } from 'pg';
import * as sqlite3 from 'sqlite3';

/**
 * A new, empty database for a test: a fresh PostgreSQL database when the run
 * has a server (TEST_POSTGRES_URL, an admin connection URL; .ci/run starts
 * one), else a SQLite file in `dir`. `drop` removes it.
 */
export async function freshDatabase(dir: string, name = 'test'): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = process.env.TEST_POSTGRES_URL;
  if (!admin) return { url: `sqlite:${join(dir, `${name}.sqlite`)}`, drop: () => Promise.resolve() };
  const db = `t_${process.pid}_${randomBytes(4).toString('hex')}`;
  await withAdmin(admin, (c) => c.query(`CREATE DATABASE ${db}`));
  const url = new URL(admin);
  url.pathname = `/${db}`;
  return {
    url: url.toString(),
    drop: () => withAdmin(admin, (c) => c.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`)).then(() => undefined),
  };
}

async function withAdmin<T>(url: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export const isPostgres = () => Boolean(process.env.TEST_POSTGRES_URL);

/**
 * Runs SQL on a connection of its own, as another process or an operator's
 * client would: nothing in the app sees it but the database itself.
 */
export async function runElsewhere(databaseUrl: string, sql: string): Promise<void> {
  if (!databaseUrl.startsWith('sqlite:')) {
    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
    return;
  }
  const db = await new Promise<sqlite3.Database>((resolve, reject) => {
    const opened = new sqlite3.Database(databaseUrl.slice('sqlite:'.length), (e) => (e ? reject(e) : resolve(opened)));
  });
  try {
    await new Promise<void>((resolve, reject) => db.exec(sql, (e) => (e ? reject(e) : resolve())));
  } finally {
    await new Promise<void>((resolve) => db.close(() => resolve()));
  }
}
