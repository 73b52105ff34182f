import { createTestApp, STRONG_PASSWORD, TestApp } from './utils/create-test-app';
import { register, uniqueName } from './utils/auth';
import { isolatedRedisUrl } from './utils/redis';

const tooMany = { statusCode: 429, error: 'Too Many Requests', message: 'Too many requests' };

describe('Throttling (e2e)', () => {
  // With a Redis server (the CI pass), a database of this spec's own: counters there are shared by every app.
  let redis: Record<string, string> = {};
  beforeAll(async () => {
    const url = await isolatedRedisUrl(15);
    redis = url ? { REDIS_URL: url } : {};
  });

  describe('RATE_LIMIT_PER_MINUTE on register, login and refresh', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ ...redis, RATE_LIMIT_PER_MINUTE: '5', TRUST_PROXY: 'loopback' });
    });
    afterAll(() => t.close());
    const from = (ip: string) => ({ 'X-Forwarded-For': ip });

    it('answers 429 with Retry-After once an address has used its minute, on each auth route', async () => {
      for (const path of ['/api/login', '/api/register', '/api/refresh']) {
        const ip = `198.51.100.${path.length}`;
        for (let i = 0; i < 5; i++) {
          const res = await t.http().post(path).set(from(ip)).send({ username: 'nobody', password: 'whatever-pass' });
          expect(res.status).not.toBe(429);
        }
        const res = await t.http().post(path).set(from(ip)).send({ username: 'nobody', password: 'whatever-pass' });
        expect(res.status).toBe(429);
        expect(res.body).toEqual(tooMany);
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
        expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(60);
        expect(t.logs()).toContainEqual(expect.objectContaining({ audit: 'rate_limit.throttled', route: path, ip }));
      }
    });

    it('counts each address on its own and leaves other routes alone', async () => {
      for (let i = 0; i < 6; i++)
        await t.http().post('/api/login').set(from('198.51.100.50')).send({ username: 'x', password: 'y' });
      await t
        .http()
        .post('/api/login')
        .set(from('198.51.100.51'))
        .send({ username: 'x', password: 'yyyyyyyy' })
        .expect(401);
      const me = await t.http().get('/api/me').set(from('198.51.100.50'));
      expect(me.status).toBe(401);
    });
  });

  describe('without TRUST_PROXY', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ ...redis, RATE_LIMIT_PER_MINUTE: '3' });
    });
    afterAll(() => t.close());

    it('cannot be reset by forging X-Forwarded-For', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await t
          .http()
          .post('/api/login')
          .set('X-Forwarded-For', `203.0.113.${i}`)
          .send({ username: 'x', password: 'yyyyyyyy' });
        statuses.push(res.status);
      }
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
    });
  });

  describe('LOGIN_MAX_FAILURES per username and address', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({
        ...redis,
        LOGIN_MAX_FAILURES: '3',
        LOGIN_FAILURE_WINDOW: '2',
        TRUST_PROXY: 'loopback',
      });
    });
    afterAll(() => t.close());
    const attempt = (username: string, password: string, ip = '192.0.2.1') =>
      t.http().post('/api/login').set('X-Forwarded-For', ip).send({ username, password });

    it('refuses further logins for the pair, even with the right password, until the window passes', async () => {
      const { username } = await register(t);
      for (let i = 0; i < 3; i++) expect((await attempt(username, 'wrong-password')).status).toBe(401);
      const blocked = await attempt(username, STRONG_PASSWORD);
      expect(blocked.status).toBe(429);
      expect(blocked.body).toEqual(tooMany);
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(Number(blocked.headers['retry-after'])).toBeLessThanOrEqual(2);
      // Other usernames from this address, and this username from elsewhere, are unaffected.
      const other = await register(t);
      expect((await attempt(other.username, STRONG_PASSWORD)).status).toBe(200);
      expect((await attempt(username, STRONG_PASSWORD, '192.0.2.2')).status).toBe(200);
      await new Promise((r) => setTimeout(r, 2100));
      expect((await attempt(username, STRONG_PASSWORD)).status).toBe(200);
    });

    it('counts unknown usernames too, whatever their case', async () => {
      const ghost = uniqueName('Ghost');
      for (let i = 0; i < 3; i++)
        expect((await attempt(i % 2 ? ghost : ghost.toLowerCase(), 'x-password')).status).toBe(401);
      expect((await attempt(ghost.toUpperCase(), 'x-password')).status).toBe(429);
    });

    it('resets the count on a successful login', async () => {
      const { username } = await register(t);
      for (let i = 0; i < 2; i++) await attempt(username, 'wrong-password').expect(401);
      await attempt(username, STRONG_PASSWORD).expect(200);
      for (let i = 0; i < 2; i++) await attempt(username, 'wrong-password').expect(401);
      await attempt(username, STRONG_PASSWORD).expect(200);
    });
  });
});
