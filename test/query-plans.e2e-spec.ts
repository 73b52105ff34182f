import { DataSource, Logger } from 'typeorm';
import { createTestApp, TestApp } from './utils/create-test-app';
import { bearer, loginAs } from './utils/auth';
import { isPostgres } from './utils/database';

/**
 * Proves with the database's query planner (SQLite's or PostgreSQL's), not a stopwatch, that a user's list of
 * tasks is a range scan of (user_id, id): its cost does not grow with the table.
 */
describe('Query plans of the hot reads (e2e)', () => {
  let t: TestApp;
  let ds: DataSource;
  const captured: Array<{ sql: string; params: unknown[] }> = [];

  beforeAll(async () => {
    t = await createTestApp();
    ds = t.app.get(DataSource);
    const logger: Logger = {
      logQuery: (sql, params) => captured.push({ sql, params: params ?? [] }),
      logQueryError: () => undefined,
      logQuerySlow: () => undefined,
      logSchemaBuild: () => undefined,
      logMigration: () => undefined,
      log: () => undefined,
    };
    Object.assign(ds, { logger });
  });
  afterAll(() => t.close());

  /** The SELECTs one request runs, with SQLite's plan for each. */
  async function plansOf(run: () => Promise<unknown>) {
    captured.length = 0;
    await run();
    const selects = captured.filter((q) => /^\s*SELECT/i.test(q.sql) && !/sqlite_master|PRAGMA/i.test(q.sql));
    captured.length = 0;
    if (!isPostgres()) {
      return Promise.all(
        selects.map(async (q) => {
          const rows = await ds.query<Array<{ detail: string }>>(`EXPLAIN QUERY PLAN ${q.sql}`, q.params);
          return { sql: q.sql, plan: rows.map((r) => r.detail).join(' | ') };
        }),
      );
    }
    // PostgreSQL would scan these tiny test tables whole; with sequential scans priced out,
    // the plan shows which index serves the query, as it would for a large table.
    const runner = ds.createQueryRunner();
    try {
      await runner.query('SET enable_seqscan = off');
      const plans: Array<{ sql: string; plan: string }> = [];
      for (const q of selects) {
        const rows = (await runner.query(`EXPLAIN ${q.sql}`, q.params)) as Array<{ 'QUERY PLAN': string }>;
        plans.push({ sql: q.sql, plan: rows.map((r) => r['QUERY PLAN']).join(' | ') });
      }
      return plans;
    } finally {
      await runner.query('RESET enable_seqscan');
      await runner.release();
    }
  }

  it('GET /api/tasks reads the caller’s rows through the (user_id, id) index, without sorting', async () => {
    const user = await loginAs(t, 'user');
    for (let i = 0; i < 3; i++)
      await t
        .http()
        .post('/api/tasks')
        .set(bearer(user.access_token))
        .send({ title: `t${i}` });
    // Full pages and offsets, so TypeORM runs its COUNT beside the page query.
    for (const query of ['?limit=2', '?limit=2&done=false', '?limit=20&offset=40']) {
      const plans = await plansOf(() => t.http().get(`/api/tasks${query}`).set(bearer(user.access_token)).expect(200));
      const taskReads = plans.filter((p) => /FROM "tasks"/.test(p.sql));
      expect(taskReads).toHaveLength(2); // the page and its count
      for (const { plan } of taskReads) {
        if (isPostgres()) {
          expect(plan).toMatch(/Index (Only )?Scan using "IDX_tasks_user_id_id"/);
          expect(plan).not.toMatch(/Seq Scan|Sort/);
        } else {
          expect(plan).toMatch(/USING (COVERING )?INDEX IDX_tasks_user_id_id \(user_id=\?\)/);
          expect(plan).not.toMatch(/SCAN "?tasks"?(?! USING)|TEMP B-TREE/);
        }
      }
    }
  });

  it('an authenticated request loads session and user by primary keys', async () => {
    const user = await loginAs(t, 'user');
    const plans = await plansOf(() => t.http().get('/api/me').set(bearer(user.access_token)).expect(200));
    expect(plans).toHaveLength(1);
    if (isPostgres()) {
      // On a table this small either of its indexes is as good; neither is a scan of the table.
      expect(plans[0].plan).toMatch(/Index Scan using "\w+" on sessions s/);
      expect(plans[0].plan).toMatch(/Index Scan using "PK_\w+" on users u/);
      expect(plans[0].plan).not.toMatch(/Seq Scan/);
    } else {
      expect(plans[0].plan).toMatch(/SEARCH s USING INDEX sqlite_autoindex_sessions_1 \(id=\?\)/);
      expect(plans[0].plan).toMatch(/SEARCH u USING INTEGER PRIMARY KEY \(rowid=\?\)/);
    }
  });
});
