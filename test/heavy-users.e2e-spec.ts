import type request from 'supertest';
import { DataSource } from 'typeorm';
import { TASK_COUNT_TRIGGERS } from 'src/database/task-counts';
import { Session } from 'src/sessions/session.entity';
import { TASKS_MAX_OFFSET } from 'src/tasks/dto/task-query.dto';
import { createTestApp, STRONG_PASSWORD, TestApp } from './utils/create-test-app';
import { bearer, decode, login, loginAs } from './utils/auth';
import { isPostgres } from './utils/database';

type User = Awaited<ReturnType<typeof loginAs>>;
type Task = { id: number; done: boolean };

/** A placeholder in the test database's dialect. */
const p = (n: number) => (isPostgres() ? `$${n}` : '?');

/** Issue 13, item 5: a user's list totals, caps on tasks and sessions, and deep pages. */
describe('Heavy users are isolated (e2e)', () => {
  let t: TestApp;
  let ds: DataSource;
  const TASK_CAP = 30;
  const SESSION_CAP = 3;

  beforeAll(async () => {
    t = await createTestApp({ MAX_TASKS_PER_USER: String(TASK_CAP), MAX_SESSIONS_PER_USER: String(SESSION_CAP) });
    ds = t.app.get(DataSource);
  });
  afterAll(() => t.close());

  const create = (u: User, body: Record<string, unknown>) =>
    t.http().post('/api/tasks').set(bearer(u.access_token)).send(body);
  const list = (u: User, query = '') => t.http().get(`/api/tasks${query}`).set(bearer(u.access_token));

  /** What the rows say, counted by the database. */
  async function counted(userId: number) {
    const rows = await ds.query<Array<{ done: unknown }>>(`SELECT done FROM tasks WHERE user_id = ${p(1)}`, [userId]);
    const done = rows.filter((r) => r.done === true || r.done === 1).length;
    return { all: rows.length, done, open: rows.length - done };
  }

  /** The three totals the API reports, each equal to the rows. */
  async function expectExactTotals(u: User) {
    const rows = await counted(u.id);
    const total = async (query: string) => Number((await list(u, query).expect(200)).headers['x-total-count']);
    expect({
      all: await total('?limit=1'),
      done: await total('?done=true&limit=1'),
      open: await total('?done=false&limit=1'),
    }).toEqual(rows);
  }

  /** Every page from `first` on, following the Link header's next. */
  async function walk(u: User, first: string): Promise<{ ids: number[]; totals: Set<string>; pages: number }> {
    const ids: number[] = [];
    const totals = new Set<string>();
    let url: string | undefined = `/api/tasks${first}`;
    let pages = 0;
    while (url) {
      const res: request.Response = await t.http().get(url).set(bearer(u.access_token)).expect(200);
      ids.push(...(res.body as Task[]).map((x) => x.id));
      totals.add(res.headers['x-total-count']);
      url = /<([^>]+)>; rel="next"/.exec(res.headers.link ?? '')?.[1];
      if (++pages > 100) throw new Error('Link next never ends');
    }
    return { ids, totals, pages };
  }

  describe('X-Total-Count from counts kept with the rows', () => {
    it('stays exact through creates, done toggles, edits and deletes', async () => {
      const u = await loginAs(t, 'user');
      await expectExactTotals(u);
      const made: Task[] = [];
      for (let i = 0; i < 6; i++) made.push((await create(u, { title: `t${i}`, done: i % 2 === 0 }).expect(201)).body);
      await expectExactTotals(u);
      await t.http().patch(`/api/tasks/${made[1].id}`).set(bearer(u.access_token)).send({ done: true }).expect(200);
      await t.http().patch(`/api/tasks/${made[0].id}`).set(bearer(u.access_token)).send({ done: false }).expect(200);
      await t.http().patch(`/api/tasks/${made[2].id}`).set(bearer(u.access_token)).send({ done: true }).expect(200); // no change
      await t
        .http()
        .patch(`/api/tasks/${made[3].id}`)
        .set(bearer(u.access_token))
        .send({ title: 'renamed' })
        .expect(200);
      await expectExactTotals(u);
      await t.http().delete(`/api/tasks/${made[4].id}`).set(bearer(u.access_token)).expect(204);
      await t.http().delete(`/api/tasks/${made[5].id}`).set(bearer(u.access_token)).expect(204);
      expect(await counted(u.id)).toEqual({ all: 4, done: 2, open: 2 });
      await expectExactTotals(u);
    });

    it('stays exact when creates, toggles and deletes of one user run concurrently', async () => {
      const u = await loginAs(t, 'user');
      const seed: Task[] = await Promise.all(
        Array.from(
          { length: 12 },
          async (_, i) => (await create(u, { title: `s${i}`, done: i % 3 === 0 }).expect(201)).body as Task,
        ),
      );
      const results = await Promise.all([
        ...Array.from({ length: 8 }, (_, i) => create(u, { title: `c${i}`, done: i % 2 === 0 })),
        ...seed
          .slice(0, 6)
          .map((x) => t.http().patch(`/api/tasks/${x.id}`).set(bearer(u.access_token)).send({ done: !x.done })),
        ...seed.slice(6, 10).map((x) => t.http().delete(`/api/tasks/${x.id}`).set(bearer(u.access_token))),
        // Toggled and deleted at once: whichever lands first, the counts follow the row.
        t.http().patch(`/api/tasks/${seed[10].id}`).set(bearer(u.access_token)).send({ done: true }),
        t.http().delete(`/api/tasks/${seed[10].id}`).set(bearer(u.access_token)),
      ]);
      for (const r of results) expect([200, 201, 204, 404]).toContain(r.status);
      expect((await counted(u.id)).all).toBe(12 + 8 - 4 - 1);
      await expectExactTotals(u);
    });

    it('stays exact for writes the service did not make: a bulk SQL insert and deleting the user', async () => {
      const u = await loginAs(t, 'user');
      await create(u, { title: 'one' }).expect(201);
      await ds.query(
        `INSERT INTO tasks (title, done, user_id) VALUES ('bulk a', ${p(1)}, ${p(2)}), ('bulk b', ${p(3)}, ${p(4)})`,
        isPostgres() ? [true, u.id, false, u.id] : [1, u.id, 0, u.id],
      );
      await expectExactTotals(u);
      const admin = await loginAs(t, 'admin');
      await t.http().delete(`/api/users/${u.id}`).set(bearer(admin.access_token)).expect(204);
      expect(await ds.query(`SELECT * FROM task_counts WHERE user_id = ${p(1)}`, [u.id])).toEqual([]);
    });

    it('has its counting triggers after every migration (a SQLite table rebuild drops them: re-create them)', async () => {
      const names = isPostgres()
        ? await ds.query<Array<{ name: string }>>(
            "SELECT tgname AS name FROM pg_trigger WHERE tgrelid = 'tasks'::regclass AND NOT tgisinternal",
          )
        : await ds.query<Array<{ name: string }>>(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'tasks'",
          );
      expect(names.map((r) => r.name)).toEqual(expect.arrayContaining(TASK_COUNT_TRIGGERS));
    });
  });

  describe(`at most MAX_TASKS_PER_USER tasks (${TASK_CAP} here)`, () => {
    it('refuses the next create with 409, stores nothing, and takes one again after a delete', async () => {
      const u = await loginAs(t, 'user');
      const made: Task[] = [];
      for (let i = 0; i < TASK_CAP; i++) made.push((await create(u, { title: `t${i}` }).expect(201)).body);
      const refused = await create(u, { title: 'one too many' });
      expect(refused.status).toBe(409);
      expect(refused.body).toEqual({
        statusCode: 409,
        error: 'Conflict',
        message: `Task limit reached: at most ${TASK_CAP} tasks per user`,
      });
      expect((await counted(u.id)).all).toBe(TASK_CAP);
      // Someone else is not affected by this user's cap.
      await create(await loginAs(t, 'user'), { title: 'mine' }).expect(201);
      await t.http().delete(`/api/tasks/${made[0].id}`).set(bearer(u.access_token)).expect(204);
      await create(u, { title: 'fits again' }).expect(201);
      await create(u, { title: 'full again' }).expect(409);
    });

    it('holds exactly under concurrent creates by one user', async () => {
      const u = await loginAs(t, 'user');
      const results = await Promise.all(
        Array.from({ length: TASK_CAP + 15 }, (_, i) => create(u, { title: `p${i}`, done: i % 2 === 0 })),
      );
      const statuses = results.map((r) => r.status).sort();
      expect(statuses.filter((s) => s === 201)).toHaveLength(TASK_CAP);
      expect(statuses.filter((s) => s === 409)).toHaveLength(15);
      expect((await counted(u.id)).all).toBe(TASK_CAP);
      await expectExactTotals(u);
    });
  });

  describe('deep pages: Link next goes by after_id, offset is bounded', () => {
    let u: User;
    let all: Task[];
    beforeAll(async () => {
      u = await loginAs(t, 'user');
      for (let i = 0; i < 11; i++) await create(u, { title: `k${i}`, done: i % 3 === 0 }).expect(201);
      all = (await list(u, '?limit=100').expect(200)).body as Task[];
    });

    it('walks every task once, in id order, with the same total on every page', async () => {
      const walked = await walk(u, '?limit=4');
      expect(walked.ids).toEqual(all.map((x) => x.id));
      expect(walked.pages).toBe(3);
      expect([...walked.totals]).toEqual(['11']);
      const done = await walk(u, '?done=true&limit=2');
      expect(done.ids).toEqual(all.filter((x) => x.done).map((x) => x.id));
      expect([...done.totals]).toEqual([String(all.filter((x) => x.done).length)]);
    });

    it('answers ?after_id= with the tasks after that id, keeping the filter in the next link', async () => {
      const res = await list(u, `?done=false&limit=3&after_id=${all[1].id}`).expect(200);
      const open = all.filter((x) => !x.done && x.id > all[1].id);
      expect((res.body as Task[]).map((x) => x.id)).toEqual(open.slice(0, 3).map((x) => x.id));
      expect(res.headers['x-total-count']).toBe(String(all.filter((x) => !x.done).length));
      expect(res.headers.link).toBe(`</api/tasks?done=false&limit=3&after_id=${open[2].id}>; rel="next"`);
      const beyond = await list(u, `?after_id=${all[10].id}`).expect(200);
      expect(beyond.body).toEqual([]);
      expect(beyond.headers.link).toBeUndefined();
    });

    it(`takes offsets up to ${TASKS_MAX_OFFSET} and refuses deeper ones with 400 naming after_id`, async () => {
      await list(u, `?offset=${TASKS_MAX_OFFSET}`).expect(200);
      const res = await list(u, `?offset=${TASKS_MAX_OFFSET + 1}`);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message: [`offset must not be greater than ${TASKS_MAX_OFFSET}; page deeper with after_id`],
      });
      for (const bad of ['-1', '1.5', 'abc', '1e3', '2147483648']) {
        expect((await list(u, `?after_id=${bad}`)).status).toBe(400);
      }
    });
  });

  describe(`at most MAX_SESSIONS_PER_USER live sessions (${SESSION_CAP} here)`, () => {
    const sessionTotal = async (token: string) =>
      Number((await t.http().get('/api/sessions').set(bearer(token)).expect(200)).headers['x-total-count']);

    it('a login beyond the cap revokes the least recently used session, and says so in the audit log', async () => {
      const u = await loginAs(t, 'user');
      const more = [];
      for (let i = 0; i < SESSION_CAP + 1; i++) more.push(await login(t, u.username));
      // The first two logins (u's and more[0]) were the least recently used.
      for (const gone of [u, more[0]]) {
        const res = await t.http().get('/api/me').set(bearer(gone.access_token)).expect(401);
        expect(res.body.message).toBe('Token has been revoked');
        await t.http().post('/api/refresh').set(bearer(gone.refresh_token)).expect(401);
      }
      for (const live of more.slice(1)) await t.http().get('/api/me').set(bearer(live.access_token)).expect(200);
      expect(await sessionTotal(more[3].access_token)).toBe(SESSION_CAP);
      const evicted = t.logs().filter((l) => l.audit === 'session.evicted' && l.userId === u.id);
      expect(evicted.map((l) => l.sessionId).sort()).toEqual(
        [decode(u.access_token).sid, decode(more[0].access_token).sid].sort(),
      );
      expect(JSON.stringify(evicted)).not.toContain(STRONG_PASSWORD);
    });

    it('a session in use outlives newer idle ones', async () => {
      const u = await loginAs(t, 'user');
      const idle = [await login(t, u.username), await login(t, u.username)];
      // Last use is recorded at most once a minute: make the first session's use the newest.
      await ds
        .getRepository(Session)
        .update({ id: decode(u.access_token).sid as string }, { lastUsedAt: new Date(Date.now() + 1000) });
      await login(t, u.username);
      await t.http().get('/api/me').set(bearer(u.access_token)).expect(200);
      await t.http().get('/api/me').set(bearer(idle[0].access_token)).expect(401);
      await t.http().get('/api/me').set(bearer(idle[1].access_token)).expect(200);
    });

    it('concurrent logins leave at most the cap live, the newest among them', async () => {
      const u = await loginAs(t, 'user');
      const logins = await Promise.all(
        Array.from({ length: 8 }, () =>
          t.http().post('/api/login').send({ username: u.username, password: STRONG_PASSWORD }),
        ),
      );
      expect(logins.map((r) => r.status)).toEqual(Array(8).fill(200));
      const live = [];
      for (const r of logins)
        if ((await t.http().get('/api/me').set(bearer(r.body.access_token))).status === 200) live.push(r);
      // The newest by last use survive every eviction that saw them: exactly the cap.
      expect(live).toHaveLength(SESSION_CAP);
      expect(await sessionTotal(live[0].body.access_token)).toBe(live.length);
      const last = await login(t, u.username);
      expect(await sessionTotal(last.access_token)).toBe(SESSION_CAP);
    });
  });
});
