import { DataSource, Logger } from 'typeorm';
import { createTestApp, TestApp } from './utils/create-test-app';
import { bearer, loginAs } from './utils/auth';

/**
 * Proves with SQLite's query planner, not a stopwatch, that a user's list of
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
    return Promise.all(
      selects.map(async (q) => {
        const rows = await ds.query<Array<{ detail: string }>>(`EXPLAIN QUERY PLAN ${q.sql}`, q.params);
        return { sql: q.sql, plan: rows.map((r) => r.detail).join(' | ') };
      }),
    );
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
        expect(plan).toMatch(/USING (COVERING )?INDEX IDX_tasks_user_id_id \(user_id=\?\)/);
        expect(plan).not.toMatch(/SCAN "?tasks"?(?! USING)|TEMP B-TREE/);
      }
    }
  });

  it('an authenticated request loads session and user by primary keys', async () => {
    const user = await loginAs(t, 'user');
    const plans = await plansOf(() => t.http().get('/api/me').set(bearer(user.access_token)).expect(200));
    expect(plans).toHaveLength(1);
    expect(plans[0].plan).toMatch(/SEARCH s USING INDEX sqlite_autoindex_sessions_1 \(id=\?\)/);
    expect(plans[0].plan).toMatch(/SEARCH u USING INTEGER PRIMARY KEY \(rowid=\?\)/);
  });
});
