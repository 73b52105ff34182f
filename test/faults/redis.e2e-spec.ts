import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STRONG_PASSWORD } from '../utils/create-test-app';
import { call, Server, startServer, stopServers } from '../utils/server';
import { RedisServer, startRedis } from './servers';
import { dependencyWarnings, waitReady } from './wait';

/** The built service with REDIS_URL pointing at a Redis of this spec's own, which is stopped, started and frozen. */
describe('Redis faults (real server)', () => {
  let redis: RedisServer;
  let server: Server | undefined;
  let dir: string;
  let token: string;
  const credentials = { username: 'redis-user', password: STRONG_PASSWORD };

  beforeAll(async () => {
    redis = await startRedis();
    dir = mkdtempSync(join(tmpdir(), 'task-api-faults-'));
    server = await startServer(
      {
        NODE_ENV: 'test',
        DATABASE_URL: `sqlite:${join(dir, 'app.sqlite')}`,
        REDIS_URL: redis.url,
        JWT_SECRET: randomBytes(32).toString('base64url'),
        BCRYPT_COST: '10',
        RATE_LIMIT_PER_MINUTE: '1000000',
        LOGIN_MAX_FAILURES: '1000',
        // Generous: a busy CI machine must not see timeouts while Redis is healthy; the frozen case below
        // proves the bound holds anyway.
        REDIS_TIMEOUT_MS: '500',
      },
      dir,
    );
    await waitReady(server);
    expect((await call(server, 'POST', '/api/register', credentials)).status).toBe(201);
    token = (await call(server, 'POST', '/api/login', credentials)).body?.access_token as string;
  }, 120_000);

  afterAll(async () => {
    await stopServers(server);
    await redis?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  const expectUnavailable = async (path: string, body?: unknown) => {
    const s = server as Server;
    const res = await fetch(`${s.url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(20_000),
    });
    expect({ path, status: res.status, retryAfter: res.headers.get('retry-after') }).toEqual({
      path,
      status: 503,
      retryAfter: '5',
    });
    return (await res.json()) as { message: string };
  };

  it('stopped: the limited routes and authenticated writes answer 503 with Retry-After, readiness names Redis, reads work; started again: all recover without a restart', async () => {
    const s = server as Server;
    const before = dependencyWarnings(s.output(), 'redis').length;
    await redis.stop();
    for (let i = 0; i < 5; i++) {
      expect((await expectUnavailable('/api/login', credentials)).message).toBe(
        'Rate-limit store (Redis) is unavailable, try again later',
      );
    }
    await expectUnavailable('/api/register', { username: 'nobody-yet', password: STRONG_PASSWORD });
    expect((await expectUnavailable('/api/health/ready')).message).toBe('Redis is not reachable');
    expect((await call(s, 'GET', '/api/me', undefined, token)).status).toBe(200);
    expect((await call(s, 'GET', '/api/tasks', undefined, token)).status).toBe(200);
    // Authenticated writes count against the per-user write limit, in Redis too: closed as well.
    const write = await call(s, 'POST', '/api/tasks', { title: 'while redis is down' }, token);
    expect({ status: write.status, message: write.body?.message }).toEqual({
      status: 503,
      message: 'Rate-limit store (Redis) is unavailable, try again later',
    });

    await redis.start();
    await waitReady(s);
    expect((await call(s, 'POST', '/api/login', credentials)).status).toBe(200);
    expect((await call(s, 'POST', '/api/tasks', { title: 'redis is back' }, token)).status).toBe(201);
    expect(s.process.exitCode).toBeNull();

    await new Promise((r) => setTimeout(r, 1_500)); // the log is written in batches, at least once a second
    const lines = dependencyWarnings(s.output(), 'redis').slice(before);
    // (A connection that came back for a moment makes a second, equally logged, episode.)
    const began = lines.filter((l) => /unavailable/.test(l.msg)).length;
    expect(began).toBeGreaterThanOrEqual(1);
    expect(began).toBeLessThanOrEqual(2);
    expect(lines.filter((l) => /available again/.test(l.msg))).toHaveLength(began);
    // Every line is JSON: no "[ioredis] Unhandled error event" blocks.
    expect(
      s
        .output()
        .split('\n')
        .filter((line) => line !== '' && !line.startsWith('{')),
    ).toEqual([]);
  }, 120_000);

  it('frozen (accepting connections, answering nothing): 503 after REDIS_TIMEOUT_MS instead of a hanging request, then recovers', async () => {
    const s = server as Server;
    redis.freeze();
    try {
      for (let i = 0; i < 3; i++) await expectUnavailable('/api/login', credentials);
    } finally {
      redis.thaw();
    }
    await waitReady(s);
    expect((await call(s, 'POST', '/api/login', credentials)).status).toBe(200);
  }, 120_000);
});
