import { createTestApp, TestApp } from './utils/create-test-app';
import { bearer, decode, loginAs } from './utils/auth';
import { runElsewhere } from './utils/database';

/**
 * Sessions are cached in memory between commits (SQLite: the wal-index tells of
 * every commit, by any process). Whatever changes them, and wherever, the very
 * next request sees it. test/instances.e2e-spec.ts does the same across two
 * running instances.
 */
describe('Session cache (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const warm = async (token: string) => {
    for (let i = 0; i < 3; i++) await t.http().get('/api/me').set(bearer(token)).expect(200);
  };

  it('a session revoked by another connection is refused on the next request', async () => {
    const u = await loginAs(t, 'user');
    await warm(u.access_token);
    const { sid } = decode(u.access_token) as { sid: string };
    await runElsewhere(t.env.DATABASE_URL, `UPDATE sessions SET revoked_at = CURRENT_TIMESTAMP WHERE id = '${sid}'`);
    const res = await t.http().get('/api/me').set(bearer(u.access_token));
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ message: 'Token has been revoked' });
  });

  it('a role and a name changed by another connection apply on the next request', async () => {
    const u = await loginAs(t, 'user');
    await warm(u.access_token);
    await t.http().get('/api/users').set(bearer(u.access_token)).expect(403);
    await runElsewhere(
      t.env.DATABASE_URL,
      `UPDATE users SET role = 'admin', username = 'renamed${u.id}' WHERE id = ${u.id}`,
    );
    await t.http().get('/api/users').set(bearer(u.access_token)).expect(200);
    const me = await t.http().get('/api/me').set(bearer(u.access_token)).expect(200);
    expect(me.body).toMatchObject({ id: u.id, username: `renamed${u.id}`, role: 'admin' });
  });

  it('a user deleted by another connection is refused on the next request', async () => {
    const u = await loginAs(t, 'user');
    await warm(u.access_token);
    await runElsewhere(
      t.env.DATABASE_URL,
      `DELETE FROM sessions WHERE user_id = ${u.id}; DELETE FROM users WHERE id = ${u.id}`,
    );
    await t.http().get('/api/me').set(bearer(u.access_token)).expect(401);
  });

  it('a logout is refused on the next request, after many cached ones', async () => {
    const u = await loginAs(t, 'user');
    await warm(u.access_token);
    await t.http().post('/api/logout').set(bearer(u.access_token)).expect(204);
    await t.http().get('/api/me').set(bearer(u.access_token)).expect(401);
  });
});
