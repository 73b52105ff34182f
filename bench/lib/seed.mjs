// Bulk seeding straight through the driver, one INSERT … SELECT per table, so a
// million rows take seconds. The service has already created the schema (its
// migrations run at start). All seeded users share one bcrypt hash: hashing a
// thousand passwords at cost 12 would take minutes and measure nothing.
export const BENCH_PASSWORD = 'bench-correct-horse-battery';
export const USERS = { reader: 'bench', writer: 'bench-writer', login: 'bench-login' };
const OTHER_USERS = 997; // with the three above: 1,000 users

/**
 * Fresh planner statistics after a bulk load; on PostgreSQL a VACUUM too, or autovacuum's
 * pass over the million new rows (triggered by inserts since PostgreSQL 13) runs during the
 * next scenario and its CPU and I/O are charged to the service.
 */
const settle = (db) => db.exec(db.dialect === 'sqlite' ? 'ANALYZE' : 'VACUUM ANALYZE');

/** `INSERT INTO <into> SELECT <select> FROM` the numbers 1..n as `i`. */
function insertSeries(db, n, into, select) {
  if (db.dialect === 'sqlite') {
    return `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${n}) INSERT INTO ${into} SELECT ${select} FROM n`;
  }
  return `INSERT INTO ${into} SELECT ${select} FROM generate_series(1, ${n}) AS n(i)`;
}

/** 1,000 users, 100 products, 1,000 tasks for the reading user; returns the three benchmark users' ids. */
export async function seedBase(db, passwordHash) {
  const users = 'users (username, username_key, password_hash, role)';
  for (const name of Object.values(USERS)) {
    await db.run(`INSERT INTO ${users} VALUES (?, ?, ?, 'user')`, [name, name, passwordHash]);
  }
  await db.run(insertSeries(db, OTHER_USERS, users, `'seed' || i, 'seed' || i, ?, 'user'`), [passwordHash]);
  await db.run(
    insertSeries(db, 100, 'products (name, description, price_cents)', `'Product ' || i, 'Seeded', i * 100 + 99`),
  );
  const ids = {};
  for (const [role, name] of Object.entries(USERS)) {
    ids[role] = (await db.get('SELECT id FROM users WHERE username_key = ?', [name])).id;
  }
  await db.run(
    insertSeries(db, 1000, 'tasks (title, description, done, user_id)', `'Task ' || i, NULL, (i % 2 = 0), ?`),
    [ids.reader],
  );
  await settle(db);
  return ids;
}

/** Grows the tasks table to 1,000,000 rows: the rest spread over the other users, the reader's own stay 1,000. */
export async function seedScale(db) {
  const { total } = await db.get('SELECT COUNT(*) AS total FROM tasks');
  const missing = 1_000_000 - Number(total);
  if (missing <= 0) return;
  const seeds = await db.get("SELECT MIN(id) AS first, COUNT(*) AS n FROM users WHERE username_key LIKE 'seed%'");
  const first = Number(seeds.first);
  const n = Number(seeds.n);
  await db.run(
    insertSeries(
      db,
      missing,
      'tasks (title, description, done, user_id)',
      `'Task ' || i, NULL, (i % 3 = 0), ${first} + (i % ${n})`,
    ),
  );
  await settle(db);
}

/** Issue 13's heavy user: one user with 1,000,000 tasks (every other one done), and one with 100 to compare. */
export const HEAVY_USERS = { heavy: 'bench-heavy', light: 'bench-light' };

export async function seedHeavy(db, passwordHash) {
  const users = 'users (username, username_key, password_hash, role)';
  const ids = {};
  for (const [role, name] of Object.entries(HEAVY_USERS)) {
    await db.run(`INSERT INTO ${users} VALUES (?, ?, ?, 'user')`, [name, name, passwordHash]);
    ids[role] = (await db.get('SELECT id FROM users WHERE username_key = ?', [name])).id;
  }
  const tasks = 'tasks (title, description, done, user_id)';
  await db.run(insertSeries(db, 100, tasks, `'Task ' || i, NULL, (i % 2 = 0), ?`), [ids.light]);
  await db.run(insertSeries(db, 1_000_000, tasks, `'Task ' || i, NULL, (i % 2 = 0), ?`), [ids.heavy]);
  await settle(db);
  return ids;
}
