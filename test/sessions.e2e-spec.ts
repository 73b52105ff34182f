import { getRepositoryToken } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Repository } from 'typeorm';
import { Session } from 'src/sessions/session.entity';
import { SessionsService } from 'src/sessions/sessions.service';
import { createTestApp, STRONG_PASSWORD, TestApp } from './utils/create-test-app';
import { bearer, decode, login, loginAs, TOKEN_RESPONSE } from './utils/auth';

describe('Sessions, fresh tokens and password changes (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const sid = (token: string) => decode(token).sid as string;

  describe('GET /api/sessions and DELETE /api/sessions/:id', () => {
    it("lists the caller's active sessions, marking the current one", async () => {
      const u = await loginAs(t, 'user');
      const phone = await t
        .http()
        .post('/api/login')
        .set('User-Agent', 'PhoneApp/1.0')
        .send({ username: u.username, password: STRONG_PASSWORD })
        .expect(200);
      await loginAs(t, 'user'); // someone else's session is never listed
      const res = await t.http().get('/api/sessions').set(bearer(u.access_token)).expect(200);
      expect(res.headers['x-total-count']).toBe('2');
      expect(res.body).toEqual([
        {
          id: sid(u.access_token),
          created_at: expect.any(String),
          last_used_at: expect.any(String),
          expires_at: expect.any(String),
          ip: expect.stringMatching(/127\.0\.0\.1/),
          user_agent: expect.any(String),
          current: true,
        },
        {
          id: sid(phone.body.access_token),
          created_at: expect.any(String),
          last_used_at: expect.any(String),
          expires_at: expect.any(String),
          ip: expect.stringMatching(/127\.0\.0\.1/),
          user_agent: 'PhoneApp/1.0',
          current: false,
        },
      ]);
      expect(new Date(res.body[0].expires_at).getTime() - new Date(res.body[0].created_at).getTime()).toBe(
        2_592_000_000,
      );
    });

    it('revokes one of the caller’s own sessions: its tokens stop at once, the list shrinks', async () => {
      const u = await loginAs(t, 'user');
      const other = await login(t, u.username);
      await t
        .http()
        .delete(`/api/sessions/${sid(other.access_token)}`)
        .set(bearer(u.access_token))
        .expect(204);
      expect((await t.http().get('/api/me').set(bearer(other.access_token))).body.message).toBe(
        'Token has been revoked',
      );
      expect((await t.http().post('/api/refresh').set(bearer(other.refresh_token))).body.message).toBe(
        'Token has been revoked',
      );
      const list = await t.http().get('/api/sessions').set(bearer(u.access_token)).expect(200);
      expect(list.body.map((s: { id: string }) => s.id)).toEqual([sid(u.access_token)]);
      // A revoked session is gone: revoking it again is 404.
      await t
        .http()
        .delete(`/api/sessions/${sid(other.access_token)}`)
        .set(bearer(u.access_token))
        .expect(404);
    });

    it("answers 404 for another user's session, which stays alive", async () => {
      const u = await loginAs(t, 'user');
      const victim = await loginAs(t, 'user');
      const res = await t
        .http()
        .delete(`/api/sessions/${sid(victim.access_token)}`)
        .set(bearer(u.access_token));
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ statusCode: 404, error: 'Not Found', message: 'Session not found' });
      await t.http().get('/api/me').set(bearer(victim.access_token)).expect(200);
      await t.http().delete(`/api/sessions/${randomUUID()}`).set(bearer(u.access_token)).expect(404);
    });

    it('answers 400 for an id that is not a UUID', async () => {
      const u = await loginAs(t, 'user');
      for (const id of ['1', 'abc', `${sid(u.access_token)}x`]) {
        const res = await t.http().delete(`/api/sessions/${id}`).set(bearer(u.access_token));
        expect(res.status).toBe(400);
        expect(res.body.message).toEqual(['id must be a UUID']);
      }
    });

    it('revoking the current session logs it out', async () => {
      const u = await loginAs(t, 'user');
      await t
        .http()
        .delete(`/api/sessions/${sid(u.access_token)}`)
        .set(bearer(u.access_token))
        .expect(204);
      expect((await t.http().get('/api/me').set(bearer(u.access_token))).status).toBe(401);
    });
  });

  describe('fresh tokens', () => {
    it('a password login gives fresh: true, a refresh gives fresh: false', async () => {
      const u = await loginAs(t, 'user');
      expect(decode(u.access_token).fresh).toBe(true);
      const r = await t.http().post('/api/refresh').set(bearer(u.refresh_token)).expect(200);
      expect(decode(r.body.access_token).fresh).toBe(false);
    });

    it('PATCH /api/me/password with a non-fresh token is 401 Fresh token required, before the password is judged', async () => {
      const u = await loginAs(t, 'user');
      const r = await t.http().post('/api/refresh').set(bearer(u.refresh_token)).expect(200);
      for (const current of [STRONG_PASSWORD, 'wrong-password-here']) {
        const res = await t
          .http()
          .patch('/api/me/password')
          .set(bearer(r.body.access_token))
          .send({ current_password: current, new_password: 'a-brand-new-passphrase' });
        expect(res.status).toBe(401);
        expect(res.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'Fresh token required' });
      }
      await login(t, u.username); // unchanged
    });
  });

  describe('PATCH /api/me/password', () => {
    it('changes the password, revokes every other session, and the current one keeps working with new tokens', async () => {
      const u = await loginAs(t, 'user');
      const laptop = await login(t, u.username);
      const res = await t
        .http()
        .patch('/api/me/password')
        .set(bearer(u.access_token))
        .send({ current_password: STRONG_PASSWORD, new_password: 'a-brand-new-passphrase' });
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body).toEqual(TOKEN_RESPONSE);
      expect(decode(res.body.access_token)).toMatchObject({ sid: sid(u.access_token), fresh: true });

      expect((await t.http().get('/api/me').set(bearer(laptop.access_token))).body.message).toBe(
        'Token has been revoked',
      );
      expect((await t.http().post('/api/refresh').set(bearer(laptop.refresh_token))).body.message).toBe(
        'Token has been revoked',
      );
      await t.http().get('/api/me').set(bearer(u.access_token)).expect(200);
      await t.http().get('/api/me').set(bearer(res.body.access_token)).expect(200);
      await t.http().post('/api/refresh').set(bearer(res.body.refresh_token)).expect(200);

      await t.http().post('/api/login').send({ username: u.username, password: STRONG_PASSWORD }).expect(401);
      await login(t, u.username, 'a-brand-new-passphrase');
    });

    it('a wrong current_password is 403 Invalid credentials and changes nothing', async () => {
      const u = await loginAs(t, 'user');
      const other = await login(t, u.username);
      const res = await t
        .http()
        .patch('/api/me/password')
        .set(bearer(u.access_token))
        .send({ current_password: 'not-my-password', new_password: 'a-brand-new-passphrase' });
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ statusCode: 403, error: 'Forbidden', message: 'Invalid credentials' });
      await login(t, u.username);
      await t.http().get('/api/me').set(bearer(other.access_token)).expect(200);
    });

    it.each([
      ['a common new password', { new_password: 'password123' }, 'new_password is too common'],
      ['a short new password', { new_password: 'Zq9!x' }, 'new_password must be at least 8 characters'],
      [
        'a new password over 72 bytes',
        { new_password: '€'.repeat(25) },
        'new_password must be at most 72 bytes in UTF-8',
      ],
      ['the same password', { new_password: STRONG_PASSWORD }, 'new_password must differ from current_password'],
      ['no current password', { current_password: undefined }, 'current_password must be a string'],
      ['an unknown field', { role: 'admin' }, 'property role should not exist'],
    ])('refuses %s with 400', async (_label, change, message) => {
      const u = await loginAs(t, 'user');
      const res = await t
        .http()
        .patch('/api/me/password')
        .set(bearer(u.access_token))
        .send({ current_password: STRONG_PASSWORD, new_password: 'fine-new-passphrase', ...change });
      expect(res.status).toBe(400);
      expect(res.body.message).toContain(message);
      await login(t, u.username);
    });
  });

  describe('pruning', () => {
    it('deletes expired sessions and long-revoked ones, keeping live and recently revoked ones', async () => {
      const u = await loginAs(t, 'user');
      const repo = t.app.get<Repository<Session>>(getRepositoryToken(Session));
      const base = {
        userId: u.id,
        refreshJtiHash: 'x'.repeat(64),
        ip: '127.0.0.1',
        userAgent: 'test',
        createdAt: new Date(),
        lastUsedAt: new Date(),
      };
      const hour = 3600_000;
      const now = Date.now();
      const expired = await repo.save(
        repo.create({ ...base, id: randomUUID(), expiresAt: new Date(now - hour), revokedAt: null }),
      );
      const oldRevoked = await repo.save(
        repo.create({
          ...base,
          id: randomUUID(),
          expiresAt: new Date(now + hour),
          revokedAt: new Date(now - 25 * hour),
        }),
      );
      const newRevoked = await repo.save(
        repo.create({ ...base, id: randomUUID(), expiresAt: new Date(now + hour), revokedAt: new Date(now - hour) }),
      );
      const removed = await t.app.get(SessionsService).prune();
      expect(removed).toBeGreaterThanOrEqual(2);
      expect(await repo.existsBy({ id: expired.id })).toBe(false);
      expect(await repo.existsBy({ id: oldRevoked.id })).toBe(false);
      expect(await repo.existsBy({ id: newRevoked.id })).toBe(true);
      expect(await repo.existsBy({ id: sid(u.access_token) })).toBe(true);
      await t.http().get('/api/me').set(bearer(u.access_token)).expect(200);
    });
  });
});
