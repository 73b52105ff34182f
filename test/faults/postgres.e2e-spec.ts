import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STRONG_PASSWORD } from '../utils/create-test-app';
import { call, Server, startServer, stopServers } from '../utils/server';
import { Postgres, startPostgres } from './servers';
import { dependencyWarnings, waitReady } from './wait';

/**
 * The built service (dist/main.js) against a PostgreSQL of this spec's own,
 * whose connections are killed under load and which is stopped and started.
 */
describe('PostgreSQL faults (real server)', () => {
  let pg: Postgres;
  let server: Server | undefined;
  let dir: string;
  const users: Array<{ username: string; token: string }> = [];

  beforeAll(async () => {
    pg = await startPostgres();
    dir = mkdtempSync(join(tmpdir(), 'task-api-faults-'));
    server = await startServer(
      {
        NODE_ENV: 'test',
        DATABASE_URL: pg.url,
        JWT_SECRET: randomBytes(32).toString('base64url'),
        BCRYPT_COST: '10',
        RATE_LIMIT_PER_MINUTE: '1000000',
        LOGIN_MAX_FAILURES: '1000',
        // Twenty workers log in from one address: this spec is about the database, not fair password work.
        BCRYPT_MAX_PER_CLIENT: '100',
        BCRYPT_MAX_PER_USERNAME: '100',
      },
      dir,
    );
    await waitReady(server);
    for (let i = 0; i < 4; i++) {
      const username = `faulty${i}`;
      expect((await call(server, 'POST', '/api/register', { username, password: STRONG_PASSWORD })).status).toBe(201);
      const res = await call(server, 'POST', '/api/login', { username, password: STRONG_PASSWORD });
      users.push({ username, token: res.body?.access_token as string });
    }
  }, 180_000);

  afterAll(async () => {
    await stopServers(server);
    pg?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('stays up under 20 concurrent mixed requests while pg_terminate_backend kills its connections, again and again: only 2xx or 503, nothing acknowledged lost', async () => {
    const s = server as Server;
    const statuses = new Map<number, number>();
    const created: Array<{ id: number; token: string }> = [];
    let stop = false;
    const worker = async (n: number) => {
      const user = users[n % users.length];
      for (let i = 0; !stop; i++) {
        const kind = (n + i) % 5;
        const res =
          kind === 0
            ? await call(s, 'POST', '/api/tasks', { title: `w${n}-${i}` }, user.token)
            : kind === 1
              ? await call(s, 'GET', '/api/me', undefined, user.token)
              : kind === 2
                ? await call(s, 'GET', '/api/tasks?limit=5', undefined, user.token)
                : kind === 3
                  ? await call(s, 'GET', '/api/products', undefined, user.token)
                  : await call(s, 'POST', '/api/login', { username: user.username, password: STRONG_PASSWORD });
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status === 503) expect(res.body?.statusCode).toBe(503);
        if (kind === 0 && res.status === 201) created.push({ id: res.body?.id as number, token: user.token });
      }
    };
    for (let round = 0; round < 5; round++) {
      stop = false;
      const workers = Array.from({ length: 20 }, (_, n) => worker(n));
      for (let k = 0; k < 6; k++) {
        await new Promise((r) => setTimeout(r, 150));
        await pg.terminateAll();
      }
      stop = true;
      await Promise.all(workers);
      expect(s.process.exitCode).toBeNull();
    }
    const seen = [...statuses.keys()].sort();
    expect(seen.filter((status) => !(status >= 200 && status < 300) && status !== 503)).toEqual([]);
    expect(created.length).toBeGreaterThan(0);

    // Every acknowledged write is there once the connections settle.
    await waitReady(s);
    for (const { id, token } of created) {
      const res = await call(s, 'GET', `/api/tasks/${id}`, undefined, token);
      expect({ id, status: res.status }).toEqual({ id, status: 200 });
    }
    expect(s.output()).not.toMatch(/Unhandled 'error' event|Unhandled error/);
  }, 240_000);

  it('answers 503 with Retry-After (never 401 or 500) while PostgreSQL is stopped, logs it once, and recovers when it is back, without a restart', async () => {
    const s = server as Server;
    const user = users[0];
    const before = dependencyWarnings(s.output(), 'database').length;
    pg.stop();
    try {
      for (let i = 0; i < 3; i++) {
        for (const [method, path, body, token] of [
          ['GET', '/api/me', undefined, user.token],
          ['GET', '/api/tasks', undefined, user.token],
          ['POST', '/api/tasks', { title: 'while down' }, user.token],
          ['POST', '/api/login', { username: user.username, password: STRONG_PASSWORD }, undefined],
          ['POST', '/api/register', { username: `late${i}`, password: STRONG_PASSWORD }, undefined],
          ['GET', '/api/health/ready', undefined, undefined],
        ] as const) {
          const res = await fetch(`${s.url}${path}`, {
            method,
            headers: {
              ...(body ? { 'content-type': 'application/json' } : {}),
              ...(token ? { authorization: `Bearer ${token}` } : {}),
            },
            body: body ? JSON.stringify(body) : undefined,
            signal: AbortSignal.timeout(20_000),
          });
          expect({ path, status: res.status, retryAfter: res.headers.get('retry-after') }).toEqual({
            path,
            status: 503,
            retryAfter: '5',
          });
          expect(((await res.json()) as { statusCode: number }).statusCode).toBe(503);
        }
      }
      await call(s, 'GET', '/api/health').then((res) => expect(res.status).toBe(200));
    } finally {
      pg.start();
    }
    await waitReady(s);
    expect((await call(s, 'GET', '/api/me', undefined, user.token)).status).toBe(200);
    expect((await call(s, 'POST', '/api/tasks', { title: 'after' }, user.token)).status).toBe(201);
    expect(s.process.exitCode).toBeNull();
    // One line when the outage began (however many requests failed), one when it ended.
    await new Promise((r) => setTimeout(r, 1_500)); // the log is written in batches, at least once a second
    const lines = dependencyWarnings(s.output(), 'database').slice(before);
    // (A connection that came back for a moment makes a second, equally logged, episode.)
    const began = lines.filter((l) => /unavailable/.test(l.msg)).length;
    expect(began).toBeGreaterThanOrEqual(1);
    expect(began).toBeLessThanOrEqual(2);
    expect(lines.filter((l) => /available again/.test(l.msg))).toHaveLength(began);
  }, 180_000);
});
