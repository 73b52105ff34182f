import { ADMIN, createTestApp, STRONG_PASSWORD, TestApp } from './utils/create-test-app';
import { closedPort } from './utils/ports';

/** REDIS_URL set but Redis not there: the limited routes fail closed, fast, in the error shape (docs/API.md). */
describe('Redis down (e2e)', () => {
  let t: TestApp;
  let consoleError: jest.SpyInstance;
  beforeAll(async () => {
    consoleError = jest.spyOn(console, 'error');
    t = await createTestApp({ REDIS_URL: `redis://127.0.0.1:${await closedPort()}/0` });
  });
  afterAll(async () => {
    await t?.close();
    consoleError.mockRestore();
  });

  const unavailable = {
    statusCode: 503,
    error: 'Service Unavailable',
    message: 'Rate-limit store (Redis) is unavailable, try again later',
  };

  it('answers login, register and refresh 503 with Retry-After, never 500', async () => {
    for (let i = 0; i < 5; i++) {
      const loginRes = await t.http().post('/api/login').send({ username: ADMIN.username, password: ADMIN.password });
      expect({ status: loginRes.status, retryAfter: loginRes.headers['retry-after'], body: loginRes.body }).toEqual({
        status: 503,
        retryAfter: '5',
        body: unavailable,
      });
    }
    const registerRes = await t
      .http()
      .post('/api/register')
      .send({ username: 'nobody-yet', password: STRONG_PASSWORD });
    expect(registerRes.status).toBe(503);
    expect(registerRes.body).toEqual(unavailable);
    const refreshRes = await t.http().post('/api/refresh').set('Authorization', 'Bearer a.b.c');
    expect(refreshRes.status).toBe(503);
  });

  it('reports Redis in readiness (503 naming it) while liveness stays 200', async () => {
    await t.http().get('/api/health').expect(200);
    const ready = await t.http().get('/api/health/ready').expect(503);
    expect(ready.headers['retry-after']).toBe('5');
    expect(ready.body).toEqual({ statusCode: 503, error: 'Service Unavailable', message: 'Redis is not reachable' });
  });

  it('logs the outage once, as JSON at warn, and prints nothing else', () => {
    const warnings = t.logs().filter((l) => l.level === 40 && l.dependency === 'redis');
    expect(warnings).toHaveLength(1);
    expect(t.logs().filter((l) => (l.level as number) >= 50)).toEqual([]);
    expect(consoleError).not.toHaveBeenCalled();
  });
});
