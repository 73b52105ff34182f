import { DataSource } from 'typeorm';
import { createTestApp, TestApp } from './utils/create-test-app';

describe('Health (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('GET /api/health is 200 to anyone while the process is up', async () => {
    const res = await t.http().get('/api/health').expect(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('GET /api/health/ready is 200 when the database answers, 503 in the error shape when it does not, and 200 again once it is back', async () => {
    const ok = await t.http().get('/api/health/ready').expect(200);
    expect(ok.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });

    const ds = t.app.get(DataSource);
    await ds.destroy();
    try {
      const down = await t.http().get('/api/health/ready');
      expect(down.status).toBe(503);
      expect(down.body).toEqual({
        statusCode: 503,
        error: 'Service Unavailable',
        message: 'Database is not reachable',
      });
      await t.http().get('/api/health').expect(200);
    } finally {
      await ds.initialize();
    }
    await t.http().get('/api/health/ready').expect(200);
  });
});
