import { DataSource } from 'typeorm';
import { AuditEventsService } from 'src/audit/audit-events.service';
import { AuditService } from 'src/audit/audit.service';
import { createTestApp, STRONG_PASSWORD, TestApp } from './utils/create-test-app';
import { bearer, decode, loginAs } from './utils/auth';

type Event = {
  id: number;
  type: string;
  actor_id: number | null;
  user_id: number | null;
  ip: string;
  user_agent: string;
  request_id: string;
  details: Record<string, unknown>;
  created_at: string;
};

/** Security events stored as data: each action leaves one, admins query all, users their own. */
describe('Audit events (e2e)', () => {
  let t: TestApp;
  let admin: { access_token: string; id: number };
  beforeAll(async () => {
    t = await createTestApp({ LOGIN_MAX_FAILURES: '2' });
    admin = await loginAs(t, 'admin');
  });
  afterAll(() => t.close());

  const events = async (query: string, token = admin.access_token) => {
    const res = await t.http().get(`/api/audit-events?${query}`).set(bearer(token)).expect(200);
    return res.body as Event[];
  };

  it('stores every security event with actor, subject, address, user agent, request id and time', async () => {
    const u = await loginAs(t, 'user');
    const agent = 'audit-test-agent/1.0';
    await t
      .http()
      .post('/api/login')
      .set('User-Agent', agent)
      .set('X-Request-Id', 'failed-login-1')
      .send({ username: u.username, password: 'wrong-password-here' })
      .expect(401);
    await t.http().post('/api/login').send({ username: u.username, password: 'wrong-password-here' }).expect(401);
    await t.http().post('/api/login').send({ username: u.username, password: 'wrong-password-here' }).expect(429);
    const second = await loginAs(t, 'user');
    const { sid } = decode(second.access_token) as { sid: string };
    await t.http().delete(`/api/sessions/${sid}`).set(bearer(second.access_token)).expect(204);
    const pat = await t
      .http()
      .post('/api/tokens')
      .set(bearer(u.access_token))
      .set('User-Agent', agent)
      .send({ name: 'audited', scopes: ['tasks:read'] })
      .expect(201);
    await t
      .http()
      .get('/api/tasks')
      .set(bearer(pat.body.token as string))
      .set('User-Agent', 'script/2')
      .expect(200);
    await t
      .http()
      .get('/api/tasks')
      .set(bearer(pat.body.token as string))
      .expect(200);
    await t
      .http()
      .delete(`/api/tokens/${pat.body.id as string}`)
      .set(bearer(admin.access_token))
      .expect(204);
    await t.http().post('/api/refresh').set(bearer(u.refresh_token)).expect(200);
    await t.http().post('/api/refresh').set(bearer(u.refresh_token)).expect(401);
    const fresh = await loginAs(t, 'user');
    const changedTokens = await t
      .http()
      .patch('/api/me/password')
      .set(bearer(fresh.access_token))
      .send({ current_password: STRONG_PASSWORD, new_password: 'audited-new-passphrase' })
      .expect(200);
    await t
      .http()
      .post('/api/logout')
      .set(bearer(changedTokens.body.access_token as string))
      .expect(204);
    await t
      .http()
      .patch(`/api/users/${fresh.id}/role`)
      .set(bearer(admin.access_token))
      .send({ role: 'admin' })
      .expect(200);
    await t.http().delete(`/api/users/${second.id}`).set(bearer(admin.access_token)).expect(204);

    const mine = await events(`user_id=${u.id}&limit=100`);
    const failed = mine.find((e) => e.type === 'login.failed' && e.request_id === 'failed-login-1');
    expect(failed).toEqual({
      id: expect.any(Number),
      type: 'login.failed',
      actor_id: null,
      user_id: u.id,
      ip: expect.stringMatching(/127\.0\.0\.1/),
      user_agent: agent,
      request_id: 'failed-login-1',
      details: { username: u.username.toLowerCase() },
      created_at: expect.any(String),
    });
    const types = (list: Event[]) => list.map((e) => e.type);
    expect(types(mine)).toEqual(
      expect.arrayContaining([
        'login.succeeded',
        'login.failed',
        'pat.created',
        'pat.first_used',
        'pat.revoked',
        'refresh.reuse_detected',
      ]),
    );
    expect(types(mine).filter((x) => x === 'pat.first_used')).toHaveLength(1);
    // A throttled login is refused before the user is looked up: it names the username tried.
    expect(await events('type=login.throttled')).toContainEqual(
      expect.objectContaining({
        actor_id: null,
        details: expect.objectContaining({ username: u.username.toLowerCase() }),
      }),
    );
    expect(mine.find((e) => e.type === 'pat.first_used')).toMatchObject({
      actor_id: u.id,
      user_agent: 'script/2',
      details: { token_id: pat.body.id },
    });
    expect(mine.find((e) => e.type === 'pat.revoked')).toMatchObject({ actor_id: admin.id, user_id: u.id });
    expect(types(await events(`user_id=${second.id}`))).toEqual(
      expect.arrayContaining(['session.revoked', 'user.deleted']),
    );
    const changed = await events(`user_id=${fresh.id}`);
    expect(types(changed)).toEqual(expect.arrayContaining(['password.changed', 'logout', 'role.changed']));
    expect(changed.find((e) => e.type === 'role.changed')).toMatchObject({
      actor_id: admin.id,
      details: { from: 'user', to: 'admin' },
    });
    // Newest first.
    const times = mine.map((e) => Date.parse(e.created_at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it('filters by type, user, since and until, and pages like every list', async () => {
    const u = await loginAs(t, 'user');
    for (let i = 0; i < 3; i++)
      await t.http().post('/api/login').send({ username: u.username, password: 'wrong-password-here' });
    await t.http().post('/api/login').send({ username: u.username, password: STRONG_PASSWORD }).expect(429);
    const typed = await events(`user_id=${u.id}&type=login.failed`);
    expect(typed.length).toBeGreaterThanOrEqual(2);
    expect(typed.every((e) => e.type === 'login.failed' && e.user_id === u.id)).toBe(true);
    const page = await t
      .http()
      .get(`/api/audit-events?user_id=${u.id}&limit=1&offset=1`)
      .set(bearer(admin.access_token))
      .expect(200);
    const total = Number(page.headers['x-total-count']);
    expect(total).toBeGreaterThanOrEqual(3);
    expect(page.body).toHaveLength(1);
    expect(page.headers.link).toContain('rel="next"');
    expect(page.headers.link).toContain('rel="prev"');
    const all = await events(`user_id=${u.id}`);
    const middle = all[Math.floor(all.length / 2)].created_at;
    const since = await events(`user_id=${u.id}&since=${encodeURIComponent(middle)}`);
    const until = await events(`user_id=${u.id}&until=${encodeURIComponent(middle)}`);
    expect(since.every((e) => e.created_at >= middle)).toBe(true);
    expect(until.every((e) => e.created_at < middle)).toBe(true);
    expect(since.length + until.length).toBe(all.length);
    expect(await events(`user_id=${u.id}&since=2999-01-01T00:00:00Z`)).toEqual([]);
    for (const bad of [
      'type=login.bogus',
      'user_id=abc',
      'user_id=0',
      'since=yesterday',
      'until=2026-13-45',
      'limit=101',
      'sort=id',
    ]) {
      const res = await t.http().get(`/api/audit-events?${bad}`).set(bearer(admin.access_token));
      expect({ bad, status: res.status }).toEqual({ bad, status: 400 });
    }
  });

  it('admins only at /api/audit-events; everyone sees their own at /api/me/security-events', async () => {
    const u = await loginAs(t, 'user');
    const other = await loginAs(t, 'user');
    await t.http().get('/api/audit-events').set(bearer(u.access_token)).expect(403);
    await t.http().get('/api/audit-events').expect(401);
    const res = await t.http().get('/api/me/security-events').set(bearer(u.access_token)).expect(200);
    const own = res.body as Event[];
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((e) => e.user_id === u.id)).toBe(true);
    expect(own.map((e) => e.type)).toContain('login.succeeded');
    expect(Number(res.headers['x-total-count'])).toBe(own.length);
    const typed = await t
      .http()
      .get('/api/me/security-events?type=login.succeeded')
      .set(bearer(other.access_token))
      .expect(200);
    expect((typed.body as Event[]).every((e) => e.type === 'login.succeeded' && e.user_id === other.id)).toBe(true);
    await t.http().get(`/api/me/security-events?user_id=${u.id}`).set(bearer(other.access_token)).expect(400);
  });

  it('a database failure while storing events never fails the request, and is logged', async () => {
    const ds = t.app.get(DataSource);
    await ds.query('ALTER TABLE audit_events RENAME TO audit_events_away');
    try {
      const u = await loginAs(t, 'user');
      await t.http().post('/api/login').send({ username: u.username, password: 'wrong-password-here' }).expect(401);
      await t.app.get(AuditService).flush();
    } finally {
      await ds.query('ALTER TABLE audit_events_away RENAME TO audit_events');
    }
    expect(t.logs()).toContainEqual(
      expect.objectContaining({ msg: expect.stringMatching(/Could not store \d+ audit events/) }),
    );
  });

  it('prunes events older than AUDIT_RETENTION_DAYS', async () => {
    const ds = t.app.get(DataSource);
    const u = await loginAs(t, 'user');
    await t.app.get(AuditService).flush();
    await ds.query(`UPDATE audit_events SET created_at = '2000-01-01 00:00:00' WHERE user_id = ${u.id}`);
    expect(await t.app.get(AuditEventsService).prune()).toBeGreaterThan(0);
    expect(await events(`user_id=${u.id}`)).toEqual([]);
    expect((await events('limit=1')).length).toBe(1);
  });
});
