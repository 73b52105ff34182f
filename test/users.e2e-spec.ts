import { createTestApp, STRONG_PASSWORD, TestApp } from './utils/create-test-app';
import { bearer, login, loginAs, register, uniqueName } from './utils/auth';

describe('Users (e2e)', () => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof loginAs>>;
  let user: Awaited<ReturnType<typeof loginAs>>;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await loginAs(t, 'admin');
    user = await loginAs(t, 'user');
  });
  afterAll(() => t.close());

  describe('GET /api/users', () => {
    it('lists users for an admin as a JSON array, without password hashes', async () => {
      const res = await t.http().get('/api/users').set(bearer(admin.access_token)).expect(200);
      expect(Array.isArray(res.body)).toBe(true);
      expect(res.body[0]).toEqual({
        id: admin.id,
        username: admin.username,
        role: 'admin',
        created_at: expect.any(String),
      });
      expect(JSON.stringify(res.body)).not.toMatch(/password|\$2[aby]\$/);
      expect(Number(res.headers['x-total-count'])).toBe(res.body.length);
    });

    it('paginates with X-Total-Count and Link next/prev, in id order', async () => {
      for (let i = 0; i < 3; i++) await register(t);
      const all = await t.http().get('/api/users?limit=100').set(bearer(admin.access_token)).expect(200);
      const total = Number(all.headers['x-total-count']);
      expect(total).toBeGreaterThanOrEqual(5);
      const ids = (all.body as Array<{ id: number }>).map((u) => u.id);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));

      const first = await t.http().get('/api/users?limit=2').set(bearer(admin.access_token)).expect(200);
      expect((first.body as Array<{ id: number }>).map((u) => u.id)).toEqual(ids.slice(0, 2));
      expect(first.headers.link).toBe('</api/users?limit=2&offset=2>; rel="next"');

      const middle = await t.http().get('/api/users?limit=2&offset=2').set(bearer(admin.access_token)).expect(200);
      expect((middle.body as Array<{ id: number }>).map((u) => u.id)).toEqual(ids.slice(2, 4));
      expect(middle.headers.link).toContain('</api/users?limit=2&offset=0>; rel="prev"');

      const last = await t
        .http()
        .get(`/api/users?limit=2&offset=${total - 1}`)
        .set(bearer(admin.access_token))
        .expect(200);
      expect(last.body).toHaveLength(1);
      expect(last.headers.link).not.toContain('rel="next"');
      expect(last.headers['x-total-count']).toBe(String(total));
    });

    it.each([['limit=0'], ['limit=101'], ['limit=abc'], ['offset=-1'], ['limit=1.5'], ['limit=1e1'], ['sort=id']])(
      'rejects the query %s with 400',
      async (query) => {
        const res = await t.http().get(`/api/users?${query}`).set(bearer(admin.access_token));
        expect(res.status).toBe(400);
        expect(res.body).toEqual({ statusCode: 400, error: 'Bad Request', message: expect.any(Array) });
      },
    );

    it('is 403 Admin access required for a user', async () => {
      const res = await t.http().get('/api/users').set(bearer(user.access_token));
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ statusCode: 403, error: 'Forbidden', message: 'Admin access required' });
    });

    it('is 401 without a token', async () => {
      const res = await t.http().get('/api/users');
      expect(res.status).toBe(401);
      expect(res.body.message).toBe('Missing Authorization Header');
    });
  });

  describe('POST /api/users', () => {
    it('lets an admin create a user with a role', async () => {
      const username = uniqueName('made');
      const res = await t
        .http()
        .post('/api/users')
        .set(bearer(admin.access_token))
        .send({ username, password: STRONG_PASSWORD, role: 'admin' });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ id: expect.any(Number), username, role: 'admin', created_at: expect.any(String) });
      const tokens = await login(t, username);
      await t.http().get('/api/users').set(bearer(tokens.access_token)).expect(200);
    });

    it('is 403 for a user, and nothing is created', async () => {
      const username = uniqueName('sneaky');
      const res = await t
        .http()
        .post('/api/users')
        .set(bearer(user.access_token))
        .send({ username, password: STRONG_PASSWORD, role: 'admin' });
      expect(res.status).toBe(403);
      expect(res.body.message).toBe('Admin access required');
      await t.http().post('/api/login').send({ username, password: STRONG_PASSWORD }).expect(401);
    });

    it.each([
      ['an unknown role', { role: 'root' }],
      ['no role', { role: undefined }],
      ['a common password', { password: 'qwerty123' }],
      ['an unknown field', { extra: true }],
    ])('is 400 for %s', async (_label, change) => {
      const body = { username: uniqueName(), password: STRONG_PASSWORD, role: 'user', ...change };
      const res = await t.http().post('/api/users').set(bearer(admin.access_token)).send(body);
      expect(res.status).toBe(400);
    });

    it('is 409 for a taken username in another case', async () => {
      const res = await t
        .http()
        .post('/api/users')
        .set(bearer(admin.access_token))
        .send({ username: user.username.toUpperCase(), password: STRONG_PASSWORD, role: 'user' });
      expect(res.status).toBe(409);
      expect(res.body).toEqual({ statusCode: 409, error: 'Conflict', message: 'Username already exists' });
    });
  });

  describe('GET /api/users/:id', () => {
    it('returns oneself to a user', async () => {
      const res = await t.http().get(`/api/users/${user.id}`).set(bearer(user.access_token)).expect(200);
      expect(res.body).toEqual({ id: user.id, username: user.username, role: 'user', created_at: expect.any(String) });
    });

    it('is 403 Admin access required for another user, existing or not', async () => {
      for (const id of [admin.id, 999_999]) {
        const res = await t.http().get(`/api/users/${id}`).set(bearer(user.access_token));
        expect(res.status).toBe(403);
        expect(res.body.message).toBe('Admin access required');
      }
    });

    it('returns anyone to an admin, and 404 for a missing id', async () => {
      await t.http().get(`/api/users/${user.id}`).set(bearer(admin.access_token)).expect(200);
      const res = await t.http().get('/api/users/999999').set(bearer(admin.access_token));
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ statusCode: 404, error: 'Not Found', message: 'User not found' });
    });

    it.each([['abc'], ['1.5'], ['-1'], ['0'], ['1e3'], ['2147483648'], ['0x10'], ['%201']])(
      'is 400 for the id %s',
      async (id) => {
        const res = await t.http().get(`/api/users/${id}`).set(bearer(admin.access_token));
        expect(res.status).toBe(400);
        expect(res.body).toEqual({ statusCode: 400, error: 'Bad Request', message: [expect.stringMatching(/^id /)] });
      },
    );
  });

  describe('PATCH /api/users/:id/role', () => {
    it('promotes a user, revokes their sessions, and the new role applies after a new login', async () => {
      const target = await loginAs(t, 'user');
      const res = await t
        .http()
        .patch(`/api/users/${target.id}/role`)
        .set(bearer(admin.access_token))
        .send({ role: 'admin' });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        id: target.id,
        username: target.username,
        role: 'admin',
        created_at: expect.any(String),
      });
      const stale = await t.http().get('/api/me').set(bearer(target.access_token));
      expect(stale.status).toBe(401);
      expect(stale.body.message).toBe('Token has been revoked');
      const stillRefresh = await t.http().post('/api/refresh').set(bearer(target.refresh_token));
      expect(stillRefresh.body.message).toBe('Token has been revoked');
      const fresh = await login(t, target.username);
      await t.http().get('/api/users').set(bearer(fresh.access_token)).expect(200);
    });

    it('demotes an admin so admin routes close at once', async () => {
      const username = uniqueName('demoted');
      const created = await t
        .http()
        .post('/api/users')
        .set(bearer(admin.access_token))
        .send({ username, password: STRONG_PASSWORD, role: 'admin' })
        .expect(201);
      const tokens = await login(t, username);
      await t
        .http()
        .patch(`/api/users/${created.body.id}/role`)
        .set(bearer(admin.access_token))
        .send({ role: 'user' })
        .expect(200);
      const res = await t.http().get('/api/users').set(bearer(tokens.access_token));
      expect(res.status).toBe(401);
      const again = await login(t, username);
      const forbidden = await t.http().get('/api/users').set(bearer(again.access_token));
      expect(forbidden.status).toBe(403);
    });

    it('is 403 for a user, who stays a user', async () => {
      const res = await t
        .http()
        .patch(`/api/users/${user.id}/role`)
        .set(bearer(user.access_token))
        .send({ role: 'admin' });
      expect(res.status).toBe(403);
      expect(res.body.message).toBe('Admin access required');
      const me = await t.http().get('/api/me').set(bearer(user.access_token)).expect(200);
      expect(me.body.role).toBe('user');
    });

    it('is 400 for an unknown role or extra fields, 404 for a missing user', async () => {
      await t
        .http()
        .patch(`/api/users/${user.id}/role`)
        .set(bearer(admin.access_token))
        .send({ role: 'owner' })
        .expect(400);
      await t
        .http()
        .patch(`/api/users/${user.id}/role`)
        .set(bearer(admin.access_token))
        .send({ role: 'user', id: 1 })
        .expect(400);
      await t.http().patch('/api/users/999999/role').set(bearer(admin.access_token)).send({ role: 'user' }).expect(404);
    });
  });

  describe('DELETE /api/users/:id', () => {
    it('lets a user delete themself with a fresh token; their tokens and login stop working', async () => {
      const target = await loginAs(t, 'user');
      await t.http().delete(`/api/users/${target.id}`).set(bearer(target.access_token)).expect(204);
      const me = await t.http().get('/api/me').set(bearer(target.access_token));
      expect(me.status).toBe(401);
      expect(me.body.message).toBe('Token has been revoked');
      await t.http().post('/api/login').send({ username: target.username, password: STRONG_PASSWORD }).expect(401);
      await t.http().get(`/api/users/${target.id}`).set(bearer(admin.access_token)).expect(404);
    });

    it('refuses self-deletion with a refreshed (non-fresh) token: 401 Fresh token required', async () => {
      const target = await loginAs(t, 'user');
      const refreshed = await t.http().post('/api/refresh').set(bearer(target.refresh_token)).expect(200);
      const res = await t.http().delete(`/api/users/${target.id}`).set(bearer(refreshed.body.access_token));
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'Fresh token required' });
      await t.http().get('/api/me').set(bearer(refreshed.body.access_token)).expect(200);
    });

    it('is 403 when a user deletes someone else, who stays', async () => {
      const victim = await register(t);
      const res = await t.http().delete(`/api/users/${victim.id}`).set(bearer(user.access_token));
      expect(res.status).toBe(403);
      expect(res.body.message).toBe('Admin access required');
      await t.http().get(`/api/users/${victim.id}`).set(bearer(admin.access_token)).expect(200);
    });

    it('lets an admin delete a user (their sessions go too) and answers 404 after', async () => {
      const target = await loginAs(t, 'user');
      await t.http().delete(`/api/users/${target.id}`).set(bearer(admin.access_token)).expect(204);
      expect((await t.http().get('/api/me').set(bearer(target.access_token))).body.message).toBe(
        'Token has been revoked',
      );
      await t.http().delete(`/api/users/${target.id}`).set(bearer(admin.access_token)).expect(404);
    });

    it('never removes the last admin: 409 on self-delete and on demotion', async () => {
      // Leave exactly one admin: demote every other admin.
      const list = await t.http().get('/api/users?limit=100').set(bearer(admin.access_token)).expect(200);
      for (const u of list.body as Array<{ id: number; role: string }>) {
        if (u.role === 'admin' && u.id !== admin.id) {
          await t
            .http()
            .patch(`/api/users/${u.id}/role`)
            .set(bearer(admin.access_token))
            .send({ role: 'user' })
            .expect(200);
        }
      }
      const fresh = await login(t, admin.username, 'Adm1n-Passw0rd-For-Tests');
      const del = await t.http().delete(`/api/users/${admin.id}`).set(bearer(fresh.access_token));
      expect(del.status).toBe(409);
      expect(del.body).toEqual({
        statusCode: 409,
        error: 'Conflict',
        message: 'The last admin cannot be demoted or deleted',
      });
      const demote = await t
        .http()
        .patch(`/api/users/${admin.id}/role`)
        .set(bearer(fresh.access_token))
        .send({ role: 'user' });
      expect(demote.status).toBe(409);
      const me = await t.http().get('/api/me').set(bearer(fresh.access_token)).expect(200);
      expect(me.body.role).toBe('admin');
    });
  });
});
