import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { freshDatabase } from '../utils/database';
import { requiredRedisUrl } from '../utils/redis';
import { call, Server, startServer, stopServers } from '../utils/server';

/** Two running instances (real processes, different ports) on one database and one Redis count logins as one service. */
describe('Two instances share login throttling through Redis (e2e)', () => {
  let dir: string;
  let a: Server;
  let b: Server;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'task-api-redis-instances-'));
    const url = new URL(requiredRedisUrl());
    url.pathname = '/13';
    const redis = new Redis(url.toString());
    await redis.flushdb();
    await redis.quit();
    const db = await freshDatabase(dir, 'shared');
    drop = db.drop;
    const env = {
      DATABASE_URL: db.url,
      REDIS_URL: url.toString(),
      JWT_SECRET: randomBytes(32).toString('base64url'),
      BCRYPT_COST: '10',
      LOGIN_MAX_FAILURES: '3',
      LOG_LEVEL: 'info',
    };
    a = await startServer(env, dir);
    b = await startServer(env, dir);
  }, 60_000);
  afterAll(async () => {
    await stopServers(a, b);
    await drop?.();
    rmSync(dir, { recursive: true, force: true });
  });

  it('failures on either instance add up, and the next login on either is 429', async () => {
    await call(a, 'POST', '/api/register', { username: 'twin', password: 'mirror-image-lantern' });
    expect((await call(a, 'POST', '/api/login', { username: 'twin', password: 'wrong-one' })).status).toBe(401);
    expect((await call(b, 'POST', '/api/login', { username: 'twin', password: 'wrong-two' })).status).toBe(401);
    expect((await call(a, 'POST', '/api/login', { username: 'twin', password: 'wrong-three' })).status).toBe(401);
    for (const s of [b, a]) {
      const res = await call(s, 'POST', '/api/login', { username: 'twin', password: 'mirror-image-lantern' });
      expect(res.status).toBe(429);
      expect(res.body?.message).toBe('Too many requests');
    }
  });
});
