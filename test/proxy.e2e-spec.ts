import { createTestApp, STRONG_PASSWORD, TestApp } from './utils/create-test-app';
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
