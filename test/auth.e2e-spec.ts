import { sign } from 'jsonwebtoken';
import { createTestApp, STRONG_PASSWORD, TestApp } from './utils/create-test-app';
import { bearer, decode, forge, login, loginAs, register, TOKEN_RESPONSE, uniqueName, withSegment } from './utils/auth';

const errorShape = (statusCode: number, message: unknown) => ({
  statusCode,
  error: expect.any(String),
  message,
});

describe('Auth (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  describe('POST /api/register', () => {
    it('creates a plain user and never returns a password hash', async () => {
      const username = uniqueName('Reg');
      const res = await t.http().post('/api/register').send({ username, password: STRONG_PASSWORD }).expect(201);
      expect(res.body).toEqual({ id: expect.any(Number), username, role: 'user', created_at: expect.any(String) });
      expect(new Date(res.body.created_at).toISOString()).toBe(res.body.created_at);
      expect(JSON.stringify(res.body)).not.toMatch(/\$2[aby]\$/);
    });

    it('treats usernames that differ only in case as one user (409)', async () => {
      const username = uniqueName('Case');
      await register(t, username);
      const res = await t
        .http()
        .post('/api/register')
        .send({ username: username.toLowerCase(), password: STRONG_PASSWORD });
      expect(res.status).toBe(409);
      expect(res.body).toEqual({ statusCode: 409, error: 'Conflict', message: 'Username already exists' });
    });

    it('refuses a role from an anonymous caller with 403 and creates nothing', async () => {
      const username = uniqueName('role');
      const res = await t.http().post('/api/register').send({ username, password: STRONG_PASSWORD, role: 'admin' });
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ statusCode: 403, error: 'Forbidden', message: 'Only admins can assign roles' });
      await t.http().post('/api/login').send({ username, password: STRONG_PASSWORD }).expect(401);
    });

    it.each([
      [
        'a password of 73 bytes',
        'x'.repeat(70) + 'é€'.slice(0, 1) + 'ab',
        'password must be at most 72 bytes in UTF-8',
      ],
      ['a multi-byte password over 72 bytes', '€'.repeat(25), 'password must be at most 72 bytes in UTF-8'],
      ['a common password', 'password123', 'password is too common'],
      ['a common password in other case', 'PassWord123', 'password is too common'],
      ['a short password', 'Zq9!x', 'password must be at least 8 characters'],
    ])('rejects %s with 400 naming the field', async (_label, password, message) => {
      const res = await t.http().post('/api/register').send({ username: uniqueName(), password });
      expect(res.status).toBe(400);
      expect(res.body).toEqual(errorShape(400, expect.arrayContaining([message])));
    });

    it('accepts a password of exactly 72 bytes', async () => {
      const password = 'Zq9x'.repeat(18);
      expect(Buffer.byteLength(password)).toBe(72);
      await t.http().post('/api/register').send({ username: uniqueName(), password }).expect(201);
    });

    it.each([['ab'], ['a'.repeat(33)], ['bad name'], ['ünï'], ['semi;colon']])(
      'rejects the username %j with 400',
      async (username) => {
        const res = await t.http().post('/api/register').send({ username, password: STRONG_PASSWORD });
        expect(res.status).toBe(400);
        expect(res.body.message).toEqual([expect.stringMatching(/^username must be 3 to 32 characters/)]);
      },
    );

    it.each([['id'], ['password_hash'], ['user_id'], ['is_admin']])(
      'rejects the unknown field %s with 400',
      async (field) => {
        const res = await t
          .http()
          .post('/api/register')
          .send({ username: uniqueName(), password: STRONG_PASSWORD, [field]: 1 });
        expect(res.status).toBe(400);
        expect(res.body.message).toEqual([`property ${field} should not exist`]);
      },
    );
  });

  describe('POST /api/login and GET /api/me', () => {
    it('register, then login, then me returns the user', async () => {
      const user = await register(t);
      const tokens = await login(t, user.username.toUpperCase());
      expect(tokens).toEqual({
        access_token: expect.any(String),
        refresh_token: expect.any(String),
        token_type: 'Bearer',
        expires_in: 900,
      });
      const me = await t.http().get('/api/me').set(bearer(tokens.access_token)).expect(200);
      expect(me.body).toEqual(user);
    });

    it('issues tokens with the contract claims, a fresh access token and no-store caching', async () => {
      const user = await register(t);
      const res = await t
        .http()
        .post('/api/login')
        .send({ username: user.username, password: STRONG_PASSWORD })
        .expect(200);
      expect(res.headers['cache-control']).toBe('no-store');
      const access = decode(res.body.access_token);
      const refresh = decode(res.body.refresh_token);
      expect(access).toEqual({
        sub: String(user.id),
        role: 'user',
        type: 'access',
        jti: expect.any(String),
        sid: expect.any(String),
        fresh: true,
        iat: expect.any(Number),
        exp: (access.iat as number) + 900,
        iss: 'task-api',
        aud: 'task-api',
      });
      expect(refresh).toMatchObject({ sub: String(user.id), type: 'refresh', sid: access.sid });
      expect(refresh.exp).toBe((refresh.iat as number) + 2_592_000);
      const header = (res.body.access_token as string).split('.')[0];
      expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toMatchObject({ alg: 'HS256' });
    });

    it('answers an unknown user and a wrong password identically', async () => {
      const user = await register(t);
      const wrong = await t.http().post('/api/login').send({ username: user.username, password: 'not-the-password' });
      const unknown = await t
        .http()
        .post('/api/login')
        .send({ username: uniqueName('ghost'), password: 'not-the-password' });
      for (const res of [wrong, unknown]) {
        expect(res.status).toBe(401);
        expect(res.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'Invalid credentials' });
      }
      const headerNames = (h: Record<string, unknown>) =>
        Object.keys(h)
          .filter((k) => !['date', 'x-request-id'].includes(k))
          .sort();
      expect(headerNames(wrong.headers)).toEqual(headerNames(unknown.headers));
    });

    it('rejects a login body with missing or mistyped fields with 400', async () => {
      const res = await t.http().post('/api/login').send({ username: 1 });
      expect(res.status).toBe(400);
      expect(res.body.message).toEqual(['username must be a string', 'password must be a string']);
    });
  });

  describe('token checks on a protected route', () => {
    let userId: number;
    let tokens: { access_token: string; refresh_token: string };

    beforeAll(async () => {
      const u = await loginAs(t, 'user');
      userId = u.id;
      tokens = u;
    });

    const me = (authorization?: string) => {
      const req = t.http().get('/api/me');
      return authorization === undefined ? req : req.set('Authorization', authorization);
    };
    const expect401 = async (authorization: string | undefined, message: string) => {
      const res = await me(authorization);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ statusCode: 401, error: 'Unauthorized', message });
    };

    it('no header: Missing Authorization Header', () => expect401(undefined, 'Missing Authorization Header'));
    it('another scheme: Missing Bearer type', () =>
      expect401(`Basic ${tokens.access_token}`, "Missing 'Bearer' type in 'Authorization' header"));
    it('a bare token: Missing Bearer type', () =>
      expect401(tokens.access_token, "Missing 'Bearer' type in 'Authorization' header"));
    it('matches the scheme case-insensitively', async () => {
      await me(`bearer ${tokens.access_token}`).expect(200);
      await me(`BEARER ${tokens.access_token}`).expect(200);
    });

    it.each([
      ['two segments', 'abc.def'],
      ['bad base64', 'a$$.b$$.c$$'],
      ['bad JSON', `${Buffer.from('{"alg":').toString('base64url')}.${Buffer.from('{').toString('base64url')}.sig`],
    ])('a malformed token (%s): Invalid token', (_label, token) => expect401(`Bearer ${token}`, 'Invalid token'));

    it('a tampered payload: Signature verification failed', async () => {
      const claims = { ...decode(tokens.access_token), role: 'admin' };
      await expect401(`Bearer ${withSegment(tokens.access_token, 1, claims)}`, 'Signature verification failed');
    });

    it('a token signed with another key: Signature verification failed', async () => {
      const claims = decode(tokens.access_token);
      const token = sign(claims, 'another-key-that-is-long-enough-32b!', { algorithm: 'HS256' });
      await expect401(`Bearer ${token}`, 'Signature verification failed');
    });

    it('alg none: Signature verification failed', async () => {
      const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
      const payload = tokens.access_token.split('.')[1];
      await expect401(`Bearer ${header}.${payload}.`, 'Signature verification failed');
    });

    it('another algorithm (HS512) with the right key: Signature verification failed', async () => {
      const token = sign(decode(tokens.access_token), t.env.JWT_SECRET, { algorithm: 'HS512' });
      await expect401(`Bearer ${token}`, 'Signature verification failed');
    });

    it('an expired token: Token has expired', async () => {
      const now = Math.floor(Date.now() / 1000);
      const claims = { ...decode(tokens.access_token), iat: now - 100, exp: now - 10 };
      const token = sign(claims, t.env.JWT_SECRET, { algorithm: 'HS256' });
      await expect401(`Bearer ${token}`, 'Token has expired');
    });

    it('nbf in the future: Invalid token', async () => {
      const claims = { ...decode(tokens.access_token), nbf: Math.floor(Date.now() / 1000) + 600 };
      await expect401(`Bearer ${sign(claims, t.env.JWT_SECRET, { algorithm: 'HS256' })}`, 'Invalid token');
    });

    it.each([
      ['issuer', { issuer: 'someone-else' }],
      ['audience', { audience: 'someone-else' }],
    ])('a wrong %s: Invalid token', async (_label, options) => {
      const { sub, role, sid, fresh } = decode(tokens.access_token);
      await expect401(`Bearer ${forge(t, { sub, role, sid, fresh, type: 'access' }, options)}`, 'Invalid token');
    });

    it.each([
      ['sub missing', { sub: undefined }],
      ['sub a number', { sub: 1 }],
      ['sid missing', { sid: undefined }],
      ['type unknown', { type: 'id' }],
      ['fresh a string', { fresh: 'true' }],
      ['role unknown', { role: 'root' }],
    ])('a required claim missing or mistyped (%s): Invalid token', async (_label, change) => {
      const { sub, role, sid, fresh } = decode(tokens.access_token);
      const claims = Object.fromEntries(
        Object.entries({ sub, role, sid, fresh, type: 'access', ...change }).filter(([, v]) => v !== undefined),
      );
      await expect401(`Bearer ${forge(t, claims)}`, 'Invalid token');
    });

    it('a refresh token: Only access tokens are allowed', () =>
      expect401(`Bearer ${tokens.refresh_token}`, 'Only access tokens are allowed'));

    it('a validly signed token for an unknown session: Token has been revoked', async () => {
      const token = forge(t, {
        sub: String(userId),
        role: 'user',
        sid: '00000000-0000-4000-8000-000000000000',
        fresh: true,
        type: 'access',
      });
      await expect401(`Bearer ${token}`, 'Token has been revoked');
    });

    it('a role claim is not trusted: a forged admin claim on a user session stays a user', async () => {
      const { sub, sid } = decode(tokens.access_token);
      const token = forge(t, { sub, sid, role: 'admin', fresh: true, type: 'access' });
      const res = await t.http().get('/api/users').set(bearer(token));
      expect(res.status).toBe(403);
      expect(res.body.message).toBe('Admin access required');
    });
  });

  describe('POST /api/refresh', () => {
    it('rotates: new tokens, a non-fresh access token, and the old refresh token stops working', async () => {
      const u = await loginAs(t, 'user');
      const res = await t.http().post('/api/refresh').set(bearer(u.refresh_token)).expect(200);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body).toEqual(TOKEN_RESPONSE);
      expect(res.body.refresh_token).not.toBe(u.refresh_token);
      expect(decode(res.body.access_token)).toMatchObject({
        fresh: false,
        sid: decode(u.access_token).sid,
        type: 'access',
      });
      await t.http().get('/api/me').set(bearer(res.body.access_token)).expect(200);
      // The rotated refresh token works once more.
      await t.http().post('/api/refresh').set(bearer(res.body.refresh_token)).expect(200);
    });

    it('treats a rotated refresh token as theft: 401 and the whole session is revoked', async () => {
      const u = await loginAs(t, 'user');
      const other = await login(t, u.username); // a second session of the same user
      const rotated = await t.http().post('/api/refresh').set(bearer(u.refresh_token)).expect(200);

      const reuse = await t.http().post('/api/refresh').set(bearer(u.refresh_token));
      expect(reuse.status).toBe(401);
      expect(reuse.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'Token has been revoked' });

      for (const token of [rotated.body.access_token, u.access_token]) {
        const res = await t.http().get('/api/me').set(bearer(token));
        expect(res.body.message).toBe('Token has been revoked');
      }
      const res = await t.http().post('/api/refresh').set(bearer(rotated.body.refresh_token));
      expect(res.body.message).toBe('Token has been revoked');
      // The user's other session lives on.
      await t.http().get('/api/me').set(bearer(other.access_token)).expect(200);
    });

    it('refuses an access token: Only refresh tokens are allowed', async () => {
      const u = await loginAs(t, 'user');
      const res = await t.http().post('/api/refresh').set(bearer(u.access_token));
      expect(res.status).toBe(401);
      expect(res.body.message).toBe('Only refresh tokens are allowed');
    });

    it('refuses a missing header with the contract message', async () => {
      const res = await t.http().post('/api/refresh');
      expect(res.status).toBe(401);
      expect(res.body.message).toBe('Missing Authorization Header');
    });

    it('refuses a tampered refresh token', async () => {
      const u = await loginAs(t, 'user');
      const claims = { ...decode(u.refresh_token), sub: '1' };
      const res = await t
        .http()
        .post('/api/refresh')
        .set(bearer(withSegment(u.refresh_token, 1, claims)));
      expect(res.body.message).toBe('Signature verification failed');
    });

    it('lets at most one of ten concurrent presentations of one refresh token succeed', async () => {
      const u = await loginAs(t, 'user');
      const results = await Promise.all(
        Array.from({ length: 10 }, () => t.http().post('/api/refresh').set(bearer(u.refresh_token))),
      );
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(1);
      expect(statuses.every((s) => s === 200 || s === 401)).toBe(true);
    });
  });

  describe('POST /api/logout', () => {
    it('makes the access token and the refresh token fail at once, other sessions unaffected', async () => {
      const u = await loginAs(t, 'user');
      const other = await login(t, u.username);
      await t.http().post('/api/logout').set(bearer(u.access_token)).expect(204);
      const me = await t.http().get('/api/me').set(bearer(u.access_token));
      expect(me.status).toBe(401);
      expect(me.body.message).toBe('Token has been revoked');
      const refresh = await t.http().post('/api/refresh').set(bearer(u.refresh_token));
      expect(refresh.body.message).toBe('Token has been revoked');
      await t.http().get('/api/me').set(bearer(other.access_token)).expect(200);
    });

    it('needs an access token', async () => {
      const res = await t.http().post('/api/logout');
      expect(res.status).toBe(401);
      expect(res.body.message).toBe('Missing Authorization Header');
    });
  });
});
