import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestApp, STRONG_PASSWORD, TestApp } from './utils/create-test-app';
import { freshDatabase } from './utils/database';
import { Server, startServer, stopServers } from './utils/server';
import { bearer, decode, register } from './utils/auth';
import { isolatedRedisUrl } from './utils/redis';

const tooMany = { statusCode: 429, error: 'Too Many Requests', message: 'Too many requests' };
const forged = (i: number) => `203.0.113.${i}`;

/** Sessions of a user, by the session id of the token that logged in. */
async function sessionIp(t: TestApp, access: string): Promise<string | undefined> {
  const sessions = await t.http().get('/api/sessions').set(bearer(access)).expect(200);
  return (sessions.body as Array<{ id: string; ip: string }>).find((s) => s.id === decode(access).sid)?.ip;
}

describe('TRUST_PROXY (e2e)', () => {
  let redis: Record<string, string> = {};
  beforeAll(async () => {
    const url = await isolatedRedisUrl(11);
    redis = url ? { REDIS_URL: url } : {};
  });

  describe('a hop count: the address the nearest proxy appended is the client', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ ...redis, TRUST_PROXY: '1', LOGIN_MAX_FAILURES: '3', RATE_LIMIT_PER_MINUTE: '8' });
    });
    afterAll(() => t.close());

    it('does not let a client rotating its own X-Forwarded-For escape the login-failure limit', async () => {
      const user = await register(t);
      const via = (i: number) => ({ 'X-Forwarded-For': `${forged(i)}, 198.51.100.7` });
      for (let i = 1; i <= 3; i++) {
        await t.http().post('/api/login').set(via(i)).send({ username: user.username, password: 'wrong-password' });
      }
      const res = await t
        .http()
        .post('/api/login')
        .set(via(4))
        .send({ username: user.username, password: STRONG_PASSWORD });
      expect(res.status).toBe(429);
      expect(res.body).toEqual(tooMany);
      const failed = t.logs().filter((l) => l.audit === 'login.failed' && l.userId === user.id);
      expect(failed.map((l) => l.ip)).toEqual(['198.51.100.7', '198.51.100.7', '198.51.100.7']);
      expect(JSON.stringify(t.logs())).not.toMatch(/203\.0\.113\./);
    });

    it('does not let it escape the rate limit either', async () => {
      const statuses: number[] = [];
      for (let i = 1; i <= 9; i++) {
        const res = await t
          .http()
          .post('/api/refresh')
          .set('X-Forwarded-For', `${forged(100 + i)}, 198.51.100.8`);
        statuses.push(res.status);
      }
      expect(statuses.slice(0, 8)).not.toContain(429);
      expect(statuses[8]).toBe(429);
    });

    it('records the proxy-given address, not the forged one, in the session', async () => {
      const user = await register(t);
      const res = await t
        .http()
        .post('/api/login')
        .set('X-Forwarded-For', `${forged(9)}, 198.51.100.9`)
        .send({ username: user.username, password: STRONG_PASSWORD })
        .expect(200);
      expect(await sessionIp(t, res.body.access_token)).toBe('198.51.100.9');
    });

    it('sends HSTS only when the nearest proxy says https', async () => {
      const tls = await t.http().get('/api/health').set('X-Forwarded-Proto', 'http, https');
      expect(tls.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
      const plain = await t.http().get('/api/health').set('X-Forwarded-Proto', 'https, http');
      expect(plain.headers['strict-transport-security']).toBeUndefined();
    });
  });

  describe('a list of proxy addresses that does not include the peer', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ ...redis, TRUST_PROXY: '10.0.0.0/8, 192.0.2.1' });
    });
    afterAll(() => t.close());

    it('ignores X-Forwarded-For and X-Forwarded-Proto from an untrusted peer', async () => {
      const user = await register(t);
      const res = await t
        .http()
        .post('/api/login')
        .set('X-Forwarded-For', forged(1))
        .set('X-Forwarded-Proto', 'https')
        .send({ username: user.username, password: STRONG_PASSWORD })
        .expect(200);
      expect(res.headers['strict-transport-security']).toBeUndefined();
      expect(await sessionIp(t, res.body.access_token)).toMatch(/127\.0\.0\.1/);
    });
  });

  describe('a list that includes the peer (loopback)', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ ...redis, TRUST_PROXY: '127.0.0.1,::1', LOGIN_MAX_FAILURES: '3' });
    });
    afterAll(() => t.close());

    it('takes the address before the trusted hops, skipping trusted proxies in the chain', async () => {
      const user = await register(t);
      const res = await t
        .http()
        .post('/api/login')
        .set('X-Forwarded-For', `${forged(1)}, 198.51.100.20, 127.0.0.1`)
        .send({ username: user.username, password: STRONG_PASSWORD })
        .expect(200);
      expect(await sessionIp(t, res.body.access_token)).toBe('198.51.100.20');
    });

    it('counts an IPv6 client by its /64: rotating the interface id does not reset the count', async () => {
      const user = await register(t);
      const from = (ip: string) => ({ 'X-Forwarded-For': ip });
      for (const ip of ['2001:db8:aa:bb::1', '2001:db8:aa:bb::2', '2001:db8:aa:bb:1234:5678:9abc:def0']) {
        await t
          .http()
          .post('/api/login')
          .set(from(ip))
          .send({ username: user.username, password: 'wrong-password' })
          .expect(401);
      }
      const same64 = await t
        .http()
        .post('/api/login')
        .set(from('2001:db8:aa:bb:ffff::9'))
        .send({ username: user.username, password: STRONG_PASSWORD });
      expect(same64.status).toBe(429);
      expect(Number(same64.headers['retry-after'])).toBeGreaterThan(0);
      const other64 = await t
        .http()
        .post('/api/login')
        .set(from('2001:db8:aa:cc::1'))
        .send({ username: user.username, password: STRONG_PASSWORD });
      expect(other64.status).toBe(200);
      expect(await sessionIp(t, other64.body.access_token)).toBe('2001:db8:aa:cc::1');
    });
  });

  describe('rate limit per IPv6 /64', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ ...redis, TRUST_PROXY: 'loopback', RATE_LIMIT_PER_MINUTE: '4' });
    });
    afterAll(() => t.close());

    it('shares one minute of requests across a /64, and not beyond it', async () => {
      const statuses: number[] = [];
      for (let i = 1; i <= 5; i++) {
        const res = await t
          .http()
          .post('/api/refresh')
          .set('X-Forwarded-For', `2001:db8:5:6::${i.toString(16)}`);
        statuses.push(res.status);
      }
      expect(statuses.slice(0, 4)).not.toContain(429);
      expect(statuses[4]).toBe(429);
      const other = await t.http().post('/api/refresh').set('X-Forwarded-For', '2001:db8:5:7::1');
      expect(other.status).toBe(401);
    });
  });
});

/** nginx from the system (apt in CI), or null. CI sets TEST_REQUIRE_NGINX so a missing one fails there. */
function findNginx(): string | null {
  for (const dir of [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/usr/local/sbin']) {
    const candidate = join(dir, 'nginx');
    if (dir && existsSync(candidate)) return candidate;
  }
  if (process.env.TEST_REQUIRE_NGINX) throw new Error('TEST_REQUIRE_NGINX is set but no nginx binary was found');
  return null;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

const nginx = findNginx();

// Without nginx on the machine (a developer's laptop) this block does not run; CI installs it and requires it.
// nginx connects from 127.0.0.2 (proxy_bind) while the client comes from 127.0.0.1, as a real proxy's
// address differs from its clients'; both TRUST_PROXY forms are run.
(nginx ? describe.each : describe.skip.each)(['127.0.0.2', '1'])(
  'behind a real nginx, TRUST_PROXY=%s (e2e)',
  (trust) => {
    let dir: string;
    let app: Server | undefined;
    let proxy: ChildProcess | undefined;
    let drop: () => Promise<void> = () => Promise.resolve();
    let base: string;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'task-api-nginx-'));
      const db = await freshDatabase(dir, 'nginx');
      drop = db.drop;
      app = await startServer(
        {
          DATABASE_URL: db.url,
          JWT_SECRET: randomBytes(32).toString('base64url'),
          BCRYPT_COST: '10',
          TRUST_PROXY: trust,
          LOGIN_MAX_FAILURES: '3',
          RATE_LIMIT_PER_MINUTE: '12',
        },
        dir,
      );
      const port = await freePort();
      // The README's proxy settings; master_process off keeps it one process of this test's user.
      writeFileSync(
        join(dir, 'nginx.conf'),
        `daemon off; master_process off; pid ${dir}/nginx.pid; error_log ${dir}/nginx-error.log;
events {}
http {
  access_log off;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  server {
    listen 127.0.0.1:${port};
    client_max_body_size 64k;
    location / {
      proxy_pass ${app.url};
      proxy_bind 127.0.0.2;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
    }
  }
}
`,
      );
      proxy = spawn(nginx as string, ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: 'ignore' });
      base = `http://127.0.0.1:${port}`;
      const deadline = Date.now() + 15_000;
      for (;;) {
        try {
          if ((await fetch(`${base}/api/health`, { signal: AbortSignal.timeout(2_000) })).ok) break;
        } catch {
          // not listening yet
        }
        if (Date.now() > deadline || proxy.exitCode !== null) throw new Error('nginx did not start');
        await new Promise((r) => setTimeout(r, 100));
      }
    });
    afterAll(async () => {
      if (proxy && proxy.exitCode === null) {
        const exited = new Promise((r) => proxy?.once('exit', r));
        proxy.kill('SIGTERM');
        await exited;
      }
      await stopServers(app);
      await drop();
      rmSync(dir, { recursive: true, force: true });
    });

    const send = async (path: string, headers: Record<string, string>, body?: unknown) => {
      const res = await fetch(`${base}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(20_000),
      });
      const text = await res.text();
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any JSON answer, read by the assertions
      return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as Record<string, any>) : {} };
    };

    it('keeps the login-failure limit and the rate limit on a client rotating its own X-Forwarded-For', async () => {
      const username = `nginx${randomBytes(3).toString('hex')}`;
      expect((await send('/api/register', {}, { username, password: STRONG_PASSWORD })).status).toBe(201);
      for (let i = 1; i <= 3; i++) {
        const res = await send(
          '/api/login',
          { 'X-Forwarded-For': forged(i) },
          { username, password: 'wrong-password' },
        );
        expect(res.status).toBe(401);
      }
      const locked = await send(
        '/api/login',
        { 'X-Forwarded-For': forged(4) },
        { username, password: STRONG_PASSWORD },
      );
      expect(locked.status).toBe(429);
      expect(locked.body).toEqual(tooMany);
    });

    it('records the address nginx saw, never the forged one, in sessions and audit lines', async () => {
      const username = `nginx${randomBytes(3).toString('hex')}`;
      expect((await send('/api/register', {}, { username, password: STRONG_PASSWORD })).status).toBe(201);
      const tokens = await send(
        '/api/login',
        { 'X-Forwarded-For': forged(30) },
        { username, password: STRONG_PASSWORD },
      );
      expect(tokens.status).toBe(200);
      const sessions = await send('/api/sessions', { authorization: `Bearer ${tokens.body.access_token}` });
      expect(sessions.body.map((x: { ip: string }) => x.ip)).toEqual(['127.0.0.1']);
      // Log lines are written in batches, flushed each second.
      const deadline = Date.now() + 5_000;
      while (!/"audit":"login\.succeeded"/.test(app?.output() ?? '') && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
      const audit = (app?.output() ?? '').split('\n').filter((l) => l.includes('"audit":'));
      expect(audit.some((l) => l.includes('"audit":"login.failed"'))).toBe(true);
      expect(audit.some((l) => l.includes('"audit":"login.succeeded"'))).toBe(true);
      for (const line of audit) expect(line).toContain('"ip":"127.0.0.1"');
      expect(app?.output()).not.toMatch(/203\.0\.113\./);
    });

    it('keeps the rate limit on it too', async () => {
      // 12 a minute for the address nginx saw: a client rotating X-Forwarded-For is still one client.
      const statuses: number[] = [];
      for (let i = 10; i < 24; i++)
        statuses.push((await send('/api/refresh', { 'X-Forwarded-For': forged(i) }, {})).status);
      const first = statuses.indexOf(429);
      expect(first).toBeGreaterThanOrEqual(0);
      expect(first).toBeLessThanOrEqual(12);
      expect(statuses.slice(first)).toEqual(statuses.slice(first).map(() => 429));
    });

    it('sends no HSTS when the client claims https itself', async () => {
      const res = await send('/api/health', { 'X-Forwarded-Proto': 'https' });
      expect(res.status).toBe(200);
      expect(res.headers.get('strict-transport-security')).toBeNull();
    });
  },
);
