import Redis from 'ioredis';
import { createTestApp, STRONG_PASSWORD } from '../utils/create-test-app';
import { register } from '../utils/auth';
import { requiredRedisUrl } from '../utils/redis';

/**
 * Two instances on one Redis count as one service. They run one after the
 * other in this process (passport's strategy registry is process-wide); the
 * counters outlive the first, as they would a crashed or rotated instance.
 */
describe('Counters shared through Redis (e2e)', () => {
  let url: string;
  let redis: Redis;
  beforeAll(async () => {
    const base = new URL(requiredRedisUrl());
    base.pathname = '/14';
    url = base.toString();
    redis = new Redis(url);
    await redis.flushdb();
  });
  afterAll(() => redis.quit());

  it('login failures counted by one instance block the pair on the next', async () => {
    const settings = { REDIS_URL: url, LOGIN_MAX_FAILURES: '3', LOGIN_FAILURE_WINDOW: '60' };
    const first = await createTestApp(settings);
    const { username } = await register(first);
    const dbUrl = first.env.DATABASE_URL;
    const secret = first.env.JWT_SECRET;
    for (let i = 0; i < 2; i++)
      await first.http().post('/api/login').send({ username, password: 'wrong-password' }).expect(401);
    await first.app.close();
    expect(await redis.keys('login-failures:*')).toEqual([`login-failures:${username.toLowerCase()}:127.0.0.1`]);

    const second = await createTestApp({ ...settings, DATABASE_URL: dbUrl, JWT_SECRET: secret });
    try {
      await second.http().post('/api/login').send({ username, password: 'wrong-password' }).expect(401);
      const blocked = await second.http().post('/api/login').send({ username, password: STRONG_PASSWORD });
      expect(blocked.status).toBe(429);
      expect(blocked.body.message).toBe('Too many requests');
      const retryAfter = Number(blocked.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(50);
      expect(retryAfter).toBeLessThanOrEqual(60);
    } finally {
      await second.close();
    }
  });

  it('the per-address rate limit is shared too', async () => {
    await redis.flushdb();
    const settings = { REDIS_URL: url, RATE_LIMIT_PER_MINUTE: '4' };
    const first = await createTestApp(settings);
    for (let i = 0; i < 3; i++)
      await first.http().post('/api/login').send({ username: 'nobody', password: 'whatever1' }).expect(401);
    await first.close();
    const second = await createTestApp(settings);
    try {
      await second.http().post('/api/login').send({ username: 'nobody', password: 'whatever1' }).expect(401);
      const res = await second.http().post('/api/login').send({ username: 'nobody', password: 'whatever1' });
      expect(res.status).toBe(429);
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      await second.close();
    }
  });
});
