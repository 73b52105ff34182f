import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Client } from 'pg';

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
