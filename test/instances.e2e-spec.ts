import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshDatabase } from './utils/database';
import { call, metric, Server, startServer, stopServers } from './utils/server';

const ADMIN = { username: 'ops', password: 'instances-admin-passphrase' };

/** The built service as real processes: shutdown on SIGTERM, and two instances acting as one. */
describe('Processes: graceful shutdown and several instances (e2e)', () => {
  let dir: string;
  let env: Record<string, string>;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'task-api-instances-'));
    const db = await freshDatabase(dir, 'shared');
    drop = db.drop;
    env = {
      DATABASE_URL: db.url,
      JWT_SECRET: randomBytes(32).toString('base64url'),
      BCRYPT_COST: '10',
      // The start-up line (with the port) is at info.
      LOG_LEVEL: 'info',
      ADMIN_USERNAME: ADMIN.username,
      ADMIN_PASSWORD: ADMIN.password,
      ...(process.env.TEST_REDIS_URL ? { REDIS_URL: process.env.TEST_REDIS_URL } : {}),
    };
  }, 120_000);
  afterAll(async () => {
    await drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('on SIGTERM finishes the request in flight, refuses new connections and exits 0', async () => {
    const server = await startServer({ ...env, BCRYPT_COST: '14' }, dir);
    // A login at bcrypt cost 14 takes about a second: long enough to be in flight.
    const inFlight = call(server, 'POST', '/api/login', { username: 'nobody', password: 'slow-password-check' });
    // SIGTERM once the login is being hashed, however slow the machine is to get it there.
    while ((await metric(server, 'bcrypt_operations_in_flight')) < 1) await new Promise((r) => setTimeout(r, 20));
    server.process.kill('SIGTERM');
    const res = await inFlight;
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ message: 'Invalid credentials' });
    expect(await server.exited).toBe(0);
    await expect(fetch(`${server.url}/api/health`)).rejects.toThrow();
    expect(server.output()).toContain('SIGTERM received');
  }, 60_000);

  describe('two instances on one database', () => {
    let a: Server;
    let b: Server;
    beforeAll(async () => {
      a = await startServer(env, dir);
      b = await startServer(env, dir);
    }, 60_000);
    afterAll(async () => {
      await stopServers(a, b);
    });

    const loginOn = async (s: Server, username: string, password: string) => {
      const res = await call(s, 'POST', '/api/login', { username, password });
      expect(res.status).toBe(200);
      return res.body as { access_token: string; refresh_token: string };
    };

    it('a logout on one is refused by the other on the next request', async () => {
      await call(a, 'POST', '/api/register', { username: 'shared-user', password: 'blue-harbour-lantern' });
      const tokens = await loginOn(a, 'shared-user', 'blue-harbour-lantern');
      expect((await call(b, 'GET', '/api/me', undefined, tokens.access_token)).status).toBe(200);
      expect((await call(a, 'POST', '/api/logout', undefined, tokens.access_token)).status).toBe(204);
      const res = await call(b, 'GET', '/api/me', undefined, tokens.access_token);
      expect(res.status).toBe(401);
      expect(res.body?.message).toBe('Token has been revoked');
    });

    it('a role change on one is refused by the other on the next request', async () => {
      await call(b, 'POST', '/api/register', { username: 'promoted', password: 'green-orchard-compass' });
      const user = await loginOn(b, 'promoted', 'green-orchard-compass');
      const me = await call(b, 'GET', '/api/me', undefined, user.access_token);
      const admin = await loginOn(a, ADMIN.username, ADMIN.password);
      expect(
        (await call(a, 'PATCH', `/api/users/${me.body?.id as number}/role`, { role: 'admin' }, admin.access_token))
          .status,
      ).toBe(200);
      expect((await call(b, 'GET', '/api/users', undefined, user.access_token)).body?.message).toBe(
        'Token has been revoked',
      );
      const again = await loginOn(b, 'promoted', 'green-orchard-compass');
      expect((await call(a, 'GET', '/api/users', undefined, again.access_token)).status).toBe(200);
    });

    it('a refresh token rotated on one is reuse on the other', async () => {
      const tokens = await loginOn(a, ADMIN.username, ADMIN.password);
      expect((await call(a, 'POST', '/api/refresh', undefined, tokens.refresh_token)).status).toBe(200);
      const reuse = await call(b, 'POST', '/api/refresh', undefined, tokens.refresh_token);
      expect(reuse.status).toBe(401);
      expect(reuse.body?.message).toBe('Token has been revoked');
    });
  });
});
