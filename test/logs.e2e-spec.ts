import { createTestApp, STRONG_PASSWORD, TestApp } from './utils/create-test-app';
import { bearer, login, loginAs, register, uniqueName } from './utils/auth';
import { cookieHeader, setCookies } from './utils/cookies';

describe('Logs and the audit trail (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ LOGIN_MAX_FAILURES: '2', RATE_LIMIT_PER_MINUTE: '1000000' });
  });
  afterAll(() => t.close());

  const audit = (event: string) => t.logs().filter((l) => l.audit === event);

  it('logs each request as JSON with the id returned in X-Request-Id', async () => {
    const res = await t.http().get('/api/nothing').set('X-Request-Id', 'trace-me-123');
    expect(res.headers['x-request-id']).toBe('trace-me-123');
    const lines = t.logs().filter((l) => (l.req as { id?: string } | undefined)?.id === 'trace-me-123');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 30,
      msg: 'request completed',
      req: { method: 'GET', url: '/api/nothing', remoteAddress: expect.any(String) },
      res: { statusCode: 404 },
      responseTime: expect.any(Number),
    });
  });

  it('never writes a password, a token, a cookie or the Authorization header', async () => {
    const u = await loginAs(t, 'user');
    const cookieLogin = await t
      .http()
      .post('/api/login')
      .send({ username: u.username, password: STRONG_PASSWORD, use_cookies: true });
    const jar = setCookies(cookieLogin);
    await t.http().get('/api/me').set(bearer(u.access_token));
    await t
      .http()
      .get('/api/me')
      .set('Cookie', cookieHeader({ access_token: jar.access_token.value }));
    await t.http().post('/api/refresh').set(bearer(u.refresh_token));
    await t
      .http()
      .patch('/api/me/password')
      .set(bearer(u.access_token))
      .send({ current_password: STRONG_PASSWORD, new_password: 'logged-never-passphrase' });
    const all = JSON.stringify(t.logs());
    for (const secret of [
      STRONG_PASSWORD,
      'logged-never-passphrase',
      u.access_token,
      u.refresh_token,
      jar.access_token.value,
      jar.refresh_token.value,
      jar.csrf_token.value,
    ]) {
      expect(all).not.toContain(secret);
    }
    expect(all).not.toMatch(/Bearer ey/);
  });

  it('audits login success and failure with user id, address and request id', async () => {
    const user = await register(t);
    await t
      .http()
      .post('/api/login')
      .set('X-Request-Id', 'login-ok-1')
      .send({ username: user.username, password: STRONG_PASSWORD })
      .expect(200);
    await t
      .http()
      .post('/api/login')
      .set('X-Request-Id', 'login-bad-1')
      .send({ username: user.username, password: 'wrong-password' })
      .expect(401);
    expect(audit('login.succeeded')).toContainEqual(
      expect.objectContaining({
        userId: user.id,
        ip: expect.stringMatching(/127\.0\.0\.1/),
        reqId: 'login-ok-1',
        sessionId: expect.any(String),
      }),
    );
    expect(audit('login.failed')).toContainEqual(
      expect.objectContaining({ userId: user.id, username: user.username.toLowerCase(), reqId: 'login-bad-1' }),
    );
  });

  it('audits a throttled login', async () => {
    const ghost = uniqueName('ghost');
    for (let i = 0; i < 2; i++)
      await t.http().post('/api/login').send({ username: ghost, password: 'nope-nope' }).expect(401);
    await t.http().post('/api/login').send({ username: ghost, password: 'nope-nope' }).expect(429);
    expect(audit('login.throttled')).toContainEqual(
      expect.objectContaining({ username: ghost.toLowerCase(), failures: 2, ip: expect.any(String) }),
    );
  });

  it('audits refresh reuse, logout and a revoked session', async () => {
    const u = await loginAs(t, 'user');
    await t.http().post('/api/refresh').set(bearer(u.refresh_token)).expect(200);
    await t.http().post('/api/refresh').set('X-Request-Id', 'reuse-1').set(bearer(u.refresh_token)).expect(401);
    expect(audit('refresh.reuse_detected')).toContainEqual(
      expect.objectContaining({ userId: u.id, ip: expect.any(String), reqId: 'reuse-1' }),
    );
    const second = await login(t, u.username);
    const third = await login(t, u.username);
    await t.http().post('/api/logout').set('X-Request-Id', 'logout-1').set(bearer(second.access_token)).expect(204);
    expect(audit('logout')).toContainEqual(
      expect.objectContaining({ userId: u.id, ip: expect.any(String), reqId: 'logout-1' }),
    );
    const sid = JSON.parse(Buffer.from(third.access_token.split('.')[1], 'base64url').toString()).sid as string;
    const fourth = await login(t, u.username);
    await t
      .http()
      .delete(`/api/sessions/${sid}`)
      .set('X-Request-Id', 'revoke-1')
      .set(bearer(fourth.access_token))
      .expect(204);
    expect(audit('session.revoked')).toContainEqual(
      expect.objectContaining({ userId: u.id, sessionId: sid, reqId: 'revoke-1' }),
    );
  });

  it('audits password changes, role changes and deletions with the acting admin', async () => {
    const u = await loginAs(t, 'user');
    await t
      .http()
      .patch('/api/me/password')
      .set(bearer(u.access_token))
      .send({ current_password: STRONG_PASSWORD, new_password: 'audited-new-passphrase' })
      .expect(200);
    expect(audit('password.changed')).toContainEqual(expect.objectContaining({ userId: u.id, ip: expect.any(String) }));
    const admin = await loginAs(t, 'admin');
    await t.http().patch(`/api/users/${u.id}/role`).set(bearer(admin.access_token)).send({ role: 'admin' }).expect(200);
    expect(audit('role.changed')).toContainEqual(
      expect.objectContaining({ userId: u.id, actorId: admin.id, from: 'user', to: 'admin' }),
    );
    await t.http().delete(`/api/users/${u.id}`).set(bearer(admin.access_token)).expect(204);
    expect(audit('user.deleted')).toContainEqual(
      expect.objectContaining({ userId: u.id, actorId: admin.id, ip: expect.any(String) }),
    );
  });
});
