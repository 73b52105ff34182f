import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { bearer, loginAs } from './utils/auth';
import { createTestApp, TestApp } from './utils/create-test-app';
import { closedPort } from './utils/ports';

/**
 * Dependency faults that need no server of their own: SQLite's file full, and a
 * PostgreSQL that is not there at start-up. (PostgreSQL and Redis stopped and
 * started under load: test/faults/, run by .ci/run.)
 */
describe('Dependency faults (e2e)', () => {
  describe('SQLite full', () => {
    let t: TestApp;
    let dir: string;
    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'task-api-full-'));
      // SQLite on any run: this is SQLite's own failure.
      t = await createTestApp({ DATABASE_URL: `sqlite:${join(dir, 'full.sqlite')}` });
    });
    afterAll(async () => {
      await t?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('answers writes 503 with Retry-After and a clear message while reads keep working, logs it once, and recovers', async () => {
      const user = await loginAs(t, 'user');
      const ds = t.app.get(DataSource);
      const [{ page_count: pages }] = await ds.query<Array<{ page_count: number }>>('PRAGMA page_count');
      // The app's own connection may not grow the file any further: the disk is "full".
      await ds.query(`PRAGMA max_page_count = ${pages}`);

      const acknowledged: number[] = [];
      const refused: Array<{ status: number; retryAfter?: string; body: unknown }> = [];
      for (let i = 0; i < 400 && refused.length < 5; i++) {
        const res = await t
          .http()
          .post('/api/tasks')
          .set(bearer(user.access_token))
          .send({ title: `task ${i}`, description: 'x'.repeat(2000) });
        if (res.status === 201) acknowledged.push((res.body as { id: number }).id);
        else refused.push({ status: res.status, retryAfter: res.headers['retry-after'], body: res.body });
      }
      expect(refused).toHaveLength(5);
      for (const r of refused) {
        expect(r).toEqual({
          status: 503,
          retryAfter: '5',
          body: { statusCode: 503, error: 'Service Unavailable', message: 'Storage is full, try again later' },
        });
      }

      // Reads keep working, and every acknowledged write is there.
      const list = await t.http().get('/api/tasks?limit=100').set(bearer(user.access_token)).expect(200);
      expect(Number(list.headers['x-total-count'])).toBe(acknowledged.length);
      await t.http().get('/api/me').set(bearer(user.access_token)).expect(200);

      const warnings = t.logs().filter((l) => l.level === 40 && l.dependency === 'disk');
      expect(warnings).toHaveLength(1);
      expect(t.logs().filter((l) => (l.level as number) >= 50)).toEqual([]);

      // Space again: writes succeed with no restart.
      await ds.query('PRAGMA max_page_count = 1073741823');
      const after = await t
        .http()
        .post('/api/tasks')
        .set(bearer(user.access_token))
        .send({ title: 'after', description: 'x'.repeat(2000) })
        .expect(201);
      const again = await t.http().get('/api/tasks?limit=1').set(bearer(user.access_token)).expect(200);
      expect(Number(again.headers['x-total-count'])).toBe(acknowledged.length + 1);
      expect((after.body as { title: string }).title).toBe('after');
    });
  });

  describe('PostgreSQL not reachable at start-up', () => {
    let t: TestApp;
    beforeAll(async () => {
      const port = await closedPort();
      t = await createTestApp(
        {
          DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/none`,
          DATABASE_CONNECT_ATTEMPTS: '0',
          DATABASE_CONNECT_BACKOFF_MS: '50',
          ADMIN_USERNAME: '',
          ADMIN_PASSWORD: '',
        },
        { pending: true },
      );
    });
    afterAll(() => t?.close());

    it('keeps trying while the process serves: liveness 200, readiness and every other route 503 with Retry-After', async () => {
      await t.http().get('/api/health').expect(200);
      const ready = await t.http().get('/api/health/ready').expect(503);
      expect(ready.headers['retry-after']).toBe('5');
      expect(ready.body).toEqual({
        statusCode: 503,
        error: 'Service Unavailable',
        message: 'Database is not reachable',
      });
      for (const [method, path] of [
        ['get', '/api/me'],
        ['get', '/api/tasks'],
        ['post', '/api/login'],
        ['post', '/api/register'],
      ] as const) {
        const res = await t.http()[method](path).send({});
        expect({ path, status: res.status, retryAfter: res.headers['retry-after'], body: res.body }).toEqual({
          path,
          status: 503,
          retryAfter: '5',
          body: { statusCode: 503, error: 'Service Unavailable', message: 'Database is unavailable, try again later' },
        });
      }
    });
  });
});
