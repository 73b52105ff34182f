import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { DataSource } from 'typeorm';
import { createTestApp, STRONG_PASSWORD, TestApp } from './utils/create-test-app';
import { bearer, loginAs } from './utils/auth';
import { runElsewhere } from './utils/database';

type Created = { id: string; token: string; name: string; scopes: string[]; expires_at: string };

/** Personal access tokens: creation, scopes, what they can never reach, revocation and expiry. */
describe('Personal access tokens (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ PAT_MAX_TTL_DAYS: '90' });
  });
  afterAll(() => t.close());

  const create = async (access: string, body: object, status = 201) =>
    (await t.http().post('/api/tokens').set(bearer(access)).send(body).expect(status)).body as Created;

  it('shows the secret once, with a recognisable prefix, and stores only its HMAC', async () => {
    const u = await loginAs(t, 'user');
    const created = await create(u.access_token, { name: 'backup script', scopes: ['tasks:read'], expires_in_days: 7 });
    expect(created).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'backup script',
      scopes: ['tasks:read'],
      created_at: expect.any(String),
      expires_at: expect.any(String),
      last_used_at: null,
      token: expect.stringMatching(/^tapi_pat_[0-9a-f]{72}$/),
    });
    const days = (Date.parse(created.expires_at) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.9);
    expect(days).toBeLessThan(7.1);
    const list = await t.http().get('/api/tokens').set(bearer(u.access_token)).expect(200);
    expect(list.headers['x-total-count']).toBe('1');
    const { token, ...listed } = created;
    expect(list.body).toEqual([listed]);
    expect(JSON.stringify(list.body)).not.toContain(token);
    // Stored: HMAC-SHA256 under a key derived from JWT_SECRET (PAT_HASH_KEY unset), never the secret.
    const key = Buffer.from(
      hkdfSync('sha256', Buffer.from(t.env.JWT_SECRET), Buffer.alloc(0), 'personal-access-token', 32),
    );
    const rows = await t.app
      .get(DataSource)
      .query<Array<Record<string, unknown>>>('SELECT * FROM personal_access_tokens');
    expect(rows).toEqual([
      expect.objectContaining({ token_hash: createHmac('sha256', key).update(token).digest('hex') }),
    ]);
    expect(JSON.stringify(rows)).not.toContain(token.slice(9));
  });

  it('authenticates with the bearer header and records first and last use', async () => {
    const u = await loginAs(t, 'user');
    const { token, id } = await create(u.access_token, { name: 'reader', scopes: ['tasks:read'] });
    await t.http().post('/api/tasks').set(bearer(u.access_token)).send({ title: 'Mine' }).expect(201);
    const tasks = await t.http().get('/api/tasks').set(bearer(token)).expect(200);
    expect(tasks.body).toEqual([expect.objectContaining({ title: 'Mine', user_id: u.id })]);
    expect((await t.http().get('/api/me').set(bearer(token)).expect(200)).body).toMatchObject({ id: u.id });
    const [listed] = (await t.http().get('/api/tokens').set(bearer(u.access_token)).expect(200)).body as Array<{
      id: string;
      last_used_at: string | null;
    }>;
    expect(listed).toMatchObject({ id, last_used_at: expect.any(String) });
  });

  it('a tasks:read token cannot create a task, nor reach sessions, passwords, roles or tokens', async () => {
    const u = await loginAs(t, 'user');
    const { token, id } = await create(u.access_token, { name: 'reader', scopes: ['tasks:read'] });
    const denied = async (method: 'get' | 'post' | 'patch' | 'delete', url: string, body?: object) => {
      const req = t.http()[method](url).set(bearer(token));
      const res = await (body ? req.send(body) : req);
      return { route: `${method} ${url}`, status: res.status, message: res.body.message as unknown };
    };
    expect(await denied('post', '/api/tasks', { title: 'Nope' })).toEqual({
      route: 'post /api/tasks',
      status: 403,
      message: 'Token lacks the tasks:write scope',
    });
    const never = 'Personal access tokens cannot be used here';
    for (const [method, url, body] of [
      ['get', '/api/sessions'],
      ['patch', '/api/me/password', { current_password: STRONG_PASSWORD, new_password: 'pat-cannot-change-this' }],
      ['post', '/api/logout'],
      ['get', '/api/tokens'],
      ['post', '/api/tokens', { name: 'child', scopes: ['tasks:read'] }],
      ['delete', `/api/tokens/${id}`],
      ['delete', `/api/users/${u.id}`],
      ['get', '/api/me/security-events'],
    ] as Array<['get' | 'post' | 'patch' | 'delete', string, object?]>) {
      expect(await denied(method, url, body)).toEqual({ route: `${method} ${url}`, status: 403, message: never });
    }
    await t.http().get('/api/products').set(bearer(token)).expect(403);
    // Nothing changed: the password still logs in, the token still lists tasks.
    await t.http().post('/api/login').send({ username: u.username, password: STRONG_PASSWORD }).expect(200);
    await t.http().get('/api/tasks').set(bearer(token)).expect(200);
    await t.http().get(`/api/users/${u.id}`).set(bearer(token)).expect(403);
  });

  it('admin scopes only for admins; the role is still checked on every use', async () => {
    const u = await loginAs(t, 'user');
    const refused = await create(u.access_token, { name: 'x', scopes: ['products:write'] }, 403);
    expect(refused).toMatchObject({ message: 'Admin access required' });
    const admin = await loginAs(t, 'admin');
    const { token } = await create(admin.access_token, {
      name: 'catalogue',
      scopes: ['products:read', 'products:write', 'users:read'],
    });
    const product = await t.http().post('/api/products').set(bearer(token)).send({ name: 'By PAT', price: 3 });
    expect(product.status).toBe(201);
    await t.http().get('/api/users').set(bearer(token)).expect(200);
    await t.http().patch(`/api/users/${u.id}/role`).set(bearer(token)).send({ role: 'admin' }).expect(403);
    await t
      .http()
      .post('/api/users')
      .set(bearer(token))
      .send({ username: 'patmade', password: STRONG_PASSWORD, role: 'user' })
      .expect(403);
  });

  it('validates name, scopes and expiry against the configured bound', async () => {
    const u = await loginAs(t, 'user');
    const bad = async (body: object) =>
      (await t.http().post('/api/tokens').set(bearer(u.access_token)).send(body).expect(400)).body.message as string[];
    expect(await bad({ name: 'x', scopes: ['tasks:read'], expires_in_days: 91 })).toEqual([
      'expires_in_days must not be greater than 90',
    ]);
    expect((await bad({ name: 'x', scopes: ['tasks:delete'] })).join()).toContain('scopes');
    expect((await bad({ name: 'x', scopes: [] })).join()).toContain('scopes');
    expect((await bad({ name: '', scopes: ['tasks:read'] })).join()).toContain('name');
    expect((await bad({ name: 'x', scopes: ['tasks:read'], expires_in_days: 0 })).join()).toContain('expires_in_days');
    expect((await bad({ name: 'x', scopes: ['tasks:read'], expires_in_days: '5' })).join()).toContain(
      'expires_in_days',
    );
    await t.http().get('/api/tokens').set(bearer(u.access_token)).expect(200, []);
  });

  it('revocation and expiry apply on the next request; a revoked token is 401 with the contract message', async () => {
    const u = await loginAs(t, 'user');
    const a = await create(u.access_token, { name: 'a', scopes: ['tasks:read'] });
    const b = await create(u.access_token, { name: 'b', scopes: ['tasks:read'] });
    for (let i = 0; i < 3; i++) await t.http().get('/api/tasks').set(bearer(a.token)).expect(200);
    await t.http().delete(`/api/tokens/${a.id}`).set(bearer(u.access_token)).expect(204);
    expect((await t.http().get('/api/tasks').set(bearer(a.token)).expect(401)).body).toMatchObject({
      message: 'Token has been revoked',
    });
    await t.http().delete(`/api/tokens/${a.id}`).set(bearer(u.access_token)).expect(404);
    // Expired by another connection (as another instance's clock would see it): refused at once.
    await t.http().get('/api/tasks').set(bearer(b.token)).expect(200);
    await runElsewhere(
      t.env.DATABASE_URL,
      `UPDATE personal_access_tokens SET expires_at = '2000-01-01 00:00:00' WHERE id = '${b.id}'`,
    );
    expect((await t.http().get('/api/tasks').set(bearer(b.token)).expect(401)).body).toMatchObject({
      message: 'Token has expired',
    });
    expect((await t.http().get('/api/tokens').set(bearer(u.access_token)).expect(200)).body).toEqual([]);
  });

  it('another user cannot revoke my token (404); an admin can', async () => {
    const owner = await loginAs(t, 'user');
    const other = await loginAs(t, 'user');
    const admin = await loginAs(t, 'admin');
    const { id, token } = await create(owner.access_token, { name: 'mine', scopes: ['tasks:read'] });
    await t.http().delete(`/api/tokens/${id}`).set(bearer(other.access_token)).expect(404);
    await t.http().get('/api/tasks').set(bearer(token)).expect(200);
    await t.http().delete(`/api/tokens/${id}`).set(bearer(admin.access_token)).expect(204);
    await t.http().get('/api/tasks').set(bearer(token)).expect(401);
  });

  it('a password change and a role change revoke the user’s tokens; deleting the user removes them', async () => {
    const u = await loginAs(t, 'user');
    const first = await create(u.access_token, { name: 'p', scopes: ['tasks:read'] });
    await t
      .http()
      .patch('/api/me/password')
      .set(bearer(u.access_token))
      .send({ current_password: STRONG_PASSWORD, new_password: 'rotated-passphrase-here' })
      .expect(200);
    await t.http().get('/api/tasks').set(bearer(first.token)).expect(401);

    const v = await loginAs(t, 'user');
    const admin = await loginAs(t, 'admin');
    const second = await create(v.access_token, { name: 'r', scopes: ['tasks:read'] });
    await t.http().patch(`/api/users/${v.id}/role`).set(bearer(admin.access_token)).send({ role: 'admin' }).expect(200);
    await t.http().get('/api/tasks').set(bearer(second.token)).expect(401);

    const w = await loginAs(t, 'user');
    const third = await create(w.access_token, { name: 'd', scopes: ['tasks:read'] });
    await t.http().delete(`/api/users/${w.id}`).set(bearer(admin.access_token)).expect(204);
    expect((await t.http().get('/api/tasks').set(bearer(third.token)).expect(401)).body).toMatchObject({
      message: 'Invalid token',
    });
  });

  it('refuses malformed, forged and unknown tokens with 401 Invalid token', async () => {
    const u = await loginAs(t, 'user');
    const { token } = await create(u.access_token, { name: 'x', scopes: ['tasks:read'] });
    const flipped = token.slice(0, 20) + (token[20] === 'a' ? 'b' : 'a') + token.slice(21);
    for (const bad of ['tapi_pat_', 'tapi_pat_zz', flipped, token + '0', token.toUpperCase()]) {
      const res = await t.http().get('/api/tasks').set(bearer(bad));
      expect({ bad, status: res.status, message: res.body.message as unknown }).toEqual({
        bad,
        status: 401,
        message: 'Invalid token',
      });
    }
    // Well-formed (right length and checksum) but never issued.
    const body = randomBytes(32).toString('hex');
    const unknown = `tapi_pat_${body}${crc32(body).toString(16).padStart(8, '0')}`;
    expect((await t.http().get('/api/tasks').set(bearer(unknown)).expect(401)).body.message).toBe('Invalid token');
  });
});

describe('Personal access tokens: guesses are throttled per address (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ PAT_MAX_FAILURES: '3' });
  });
  afterAll(() => t.close());

  it('after PAT_MAX_FAILURES unknown tokens, the address gets 429 with Retry-After', async () => {
    const guess = `tapi_pat_${'0'.repeat(72)}`;
    // With a shared Redis (CI) other files' unknown tokens from 127.0.0.1 may have counted already:
    // at most PAT_MAX_FAILURES refusals get through, then 429.
    const statuses: number[] = [];
    for (let i = 0; i < 4 && statuses.at(-1) !== 429; i++)
      statuses.push((await t.http().get('/api/tasks').set(bearer(guess))).status);
    expect(statuses.at(-1)).toBe(429);
    expect(statuses.slice(0, -1).every((s) => s === 401)).toBe(true);
    const res = await t.http().get('/api/tasks').set(bearer(guess)).expect(429);
    expect(res.body).toEqual({ statusCode: 429, error: 'Too Many Requests', message: 'Too many requests' });
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    // Session tokens from that address are not affected.
    const u = await loginAs(t, 'user');
    await t.http().get('/api/tasks').set(bearer(u.access_token)).expect(200);
  });
});
