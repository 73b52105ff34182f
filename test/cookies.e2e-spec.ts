import { createTestApp, STRONG_PASSWORD, TestApp } from './utils/create-test-app';
import { bearer, decode, loginAs, register } from './utils/auth';
import { cookieHeader, setCookies } from './utils/cookies';

interface Jar {
  access_token: string;
  refresh_token: string;
  csrf_token: string;
}

describe('Cookie transport with CSRF double submit (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  async function cookieLogin(username?: string): Promise<{ jar: Jar; username: string }> {
    const name = username ?? (await register(t)).username;
    const res = await t
      .http()
      .post('/api/login')
      .send({ username: name, password: STRONG_PASSWORD, use_cookies: true })
      .expect(200);
    const c = setCookies(res);
    return {
      username: name,
      jar: { access_token: c.access_token.value, refresh_token: c.refresh_token.value, csrf_token: c.csrf_token.value },
    };
  }
  /** What a browser sends to a path under /api (the refresh cookie only goes to /api/refresh). */
  const apiCookies = (jar: Jar) => cookieHeader({ access_token: jar.access_token, csrf_token: jar.csrf_token });
  const refreshCookies = (jar: Jar) => cookieHeader({ refresh_token: jar.refresh_token, csrf_token: jar.csrf_token });

  it('login with use_cookies sets HttpOnly Secure SameSite=Strict cookies and no token in the body', async () => {
    const user = await register(t);
    const res = await t
      .http()
      .post('/api/login')
      .send({ username: user.username, password: STRONG_PASSWORD, use_cookies: true })
      .expect(200);
    expect(res.body).toEqual({ token_type: 'cookie', expires_in: 900 });
    expect(res.headers['cache-control']).toBe('no-store');
    const c = setCookies(res);
    expect(c.access_token.attributes).toEqual({
      path: '/api',
      httponly: true,
      secure: true,
      samesite: 'Strict',
      'max-age': '900',
    });
    expect(c.refresh_token.attributes).toEqual({
      path: '/api/refresh',
      httponly: true,
      secure: true,
      samesite: 'Strict',
      'max-age': '2592000',
    });
    expect(c.csrf_token.attributes).toEqual({ path: '/', secure: true, samesite: 'Strict', 'max-age': '2592000' });
    expect(decode(c.access_token.value)).toMatchObject({ type: 'access', fresh: true });
    expect(decode(c.refresh_token.value)).toMatchObject({ type: 'refresh' });
  });

  it('a cookie client reads without CSRF and writes only with a matching X-CSRF-Token', async () => {
    const { jar } = await cookieLogin();
    await t.http().get('/api/me').set('Cookie', apiCookies(jar)).expect(200);

    const missing = await t.http().post('/api/tasks').set('Cookie', apiCookies(jar)).send({ title: 'csrf' });
    expect(missing.status).toBe(401);
    expect(missing.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'Missing CSRF token' });

    const wrong = await t
      .http()
      .post('/api/tasks')
      .set('Cookie', apiCookies(jar))
      .set('X-CSRF-Token', 'nope')
      .send({ title: 'csrf' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.message).toBe('CSRF double submit tokens do not match');

    const list = await t.http().get('/api/tasks').set('Cookie', apiCookies(jar)).expect(200);
    expect(list.body).toEqual([]);

    await t
      .http()
      .post('/api/tasks')
      .set('Cookie', apiCookies(jar))
      .set('X-CSRF-Token', jar.csrf_token)
      .send({ title: 'csrf' })
      .expect(201);
  });

  it('refuses a planted CSRF cookie that equals the header but was not issued for this session', async () => {
    const { jar } = await cookieLogin();
    const other = await cookieLogin();
    for (const planted of ['attacker-chosen', other.jar.csrf_token]) {
      const cookies = cookieHeader({ access_token: jar.access_token, csrf_token: planted });
      const res = await t
        .http()
        .patch('/api/me/password')
        .set('Cookie', cookies)
        .set('X-CSRF-Token', planted)
        .send({ current_password: STRONG_PASSWORD, new_password: 'planted-passphrase-1' });
      expect(res.status).toBe(401);
      expect(res.body.message).toBe('CSRF double submit tokens do not match');
    }
  });

  it('a bearer header wins over cookies, and needs no CSRF token', async () => {
    const { jar } = await cookieLogin();
    const bob = await loginAs(t, 'user');
    const me = await t.http().get('/api/me').set('Cookie', apiCookies(jar)).set(bearer(bob.access_token)).expect(200);
    expect(me.body.username).toBe(bob.username);
    await t
      .http()
      .post('/api/tasks')
      .set('Cookie', apiCookies(jar))
      .set(bearer(bob.access_token))
      .send({ title: 'bearer' })
      .expect(201);
    const bad = await t.http().get('/api/me').set('Cookie', apiCookies(jar)).set('Authorization', 'Basic x');
    expect(bad.body.message).toBe("Missing 'Bearer' type in 'Authorization' header");
  });

  it('a tampered or foreign access cookie is refused with the token messages', async () => {
    const { jar } = await cookieLogin();
    const res = await t
      .http()
      .get('/api/me')
      .set('Cookie', cookieHeader({ access_token: jar.access_token.slice(0, -2) + 'xx' }));
    expect(res.status).toBe(401);
    expect(res.body.message).toBe('Signature verification failed');
    const garbage = await t
      .http()
      .get('/api/me')
      .set('Cookie', cookieHeader({ access_token: 'not-a-jwt' }));
    expect(garbage.body.message).toBe('Invalid token');
    const refresh = await t
      .http()
      .get('/api/me')
      .set('Cookie', cookieHeader({ access_token: jar.refresh_token }));
    expect(refresh.body.message).toBe('Only access tokens are allowed');
  });

  it('refresh by cookie rotates the cookies; the rotated refresh cookie is then theft and revokes the session', async () => {
    const { jar } = await cookieLogin();
    const noCsrf = await t.http().post('/api/refresh').set('Cookie', refreshCookies(jar));
    expect(noCsrf.status).toBe(401);
    expect(noCsrf.body.message).toBe('Missing CSRF token');

    const res = await t
      .http()
      .post('/api/refresh')
      .set('Cookie', refreshCookies(jar))
      .set('X-CSRF-Token', jar.csrf_token)
      .expect(200);
    expect(res.body).toEqual({ token_type: 'cookie', expires_in: 900 });
    const c = setCookies(res);
    const next: Jar = {
      access_token: c.access_token.value,
      refresh_token: c.refresh_token.value,
      csrf_token: c.csrf_token.value,
    };
    expect(next.refresh_token).not.toBe(jar.refresh_token);
    expect(decode(next.access_token)).toMatchObject({ fresh: false, sid: decode(jar.access_token).sid });
    await t.http().get('/api/me').set('Cookie', apiCookies(next)).expect(200);

    const reuse = await t
      .http()
      .post('/api/refresh')
      .set('Cookie', refreshCookies(jar))
      .set('X-CSRF-Token', jar.csrf_token);
    expect(reuse.status).toBe(401);
    expect(reuse.body.message).toBe('Token has been revoked');
    const after = await t.http().get('/api/me').set('Cookie', apiCookies(next));
    expect(after.body.message).toBe('Token has been revoked');
  });

  it('logout by cookie needs CSRF, revokes the session and clears the cookies', async () => {
    const { jar } = await cookieLogin();
    const noCsrf = await t.http().post('/api/logout').set('Cookie', apiCookies(jar));
    expect(noCsrf.body.message).toBe('Missing CSRF token');
    const res = await t
      .http()
      .post('/api/logout')
      .set('Cookie', apiCookies(jar))
      .set('X-CSRF-Token', jar.csrf_token)
      .expect(204);
    const c = setCookies(res);
    for (const [name, path] of [
      ['access_token', '/api'],
      ['refresh_token', '/api/refresh'],
      ['csrf_token', '/'],
    ]) {
      expect(c[name].value).toBe('');
      expect(c[name].attributes.path).toBe(path);
      expect(new Date(c[name].attributes.expires as string).getTime()).toBeLessThan(Date.now());
    }
    const me = await t.http().get('/api/me').set('Cookie', apiCookies(jar));
    expect(me.body.message).toBe('Token has been revoked');
  });

  it('leaves header clients alone: no Set-Cookie on a bearer login or logout', async () => {
    const u = await loginAs(t, 'user');
    const res = await t.http().post('/api/logout').set(bearer(u.access_token)).expect(204);
    expect(res.headers['set-cookie']).toBeUndefined();
    const login = await t.http().post('/api/login').send({ username: u.username, password: STRONG_PASSWORD });
    expect(login.headers['set-cookie']).toBeUndefined();
    expect(login.body.token_type).toBe('Bearer');
  });

  it('a whole browser session: login, call, refresh, change password, log out, with cookies and CSRF only', async () => {
    let { jar } = await cookieLogin();
    const send = (req: ReturnType<TestApp['http']>['post'] extends (u: string) => infer R ? R : never, j: Jar) =>
      req.set('Cookie', apiCookies(j)).set('X-CSRF-Token', j.csrf_token);
    await send(t.http().post('/api/tasks'), jar).send({ title: 'Browser task' }).expect(201);
    const refreshed = await t
      .http()
      .post('/api/refresh')
      .set('Cookie', refreshCookies(jar))
      .set('X-CSRF-Token', jar.csrf_token)
      .expect(200);
    let c = setCookies(refreshed);
    jar = { access_token: c.access_token.value, refresh_token: c.refresh_token.value, csrf_token: c.csrf_token.value };
    const tasks = await t.http().get('/api/tasks').set('Cookie', apiCookies(jar)).expect(200);
    expect(tasks.body.map((x: { title: string }) => x.title)).toEqual(['Browser task']);
    // A refreshed token is not fresh: the password change wants a new login.
    const stale = await t
      .http()
      .patch('/api/me/password')
      .set('Cookie', apiCookies(jar))
      .set('X-CSRF-Token', jar.csrf_token)
      .send({ current_password: STRONG_PASSWORD, new_password: 'browser-new-passphrase' });
    expect(stale.body.message).toBe('Fresh token required');
    jar = (await cookieLogin((await t.http().get('/api/me').set('Cookie', apiCookies(jar))).body.username)).jar;
    const changed = await t
      .http()
      .patch('/api/me/password')
      .set('Cookie', apiCookies(jar))
      .set('X-CSRF-Token', jar.csrf_token)
      .send({ current_password: STRONG_PASSWORD, new_password: 'browser-new-passphrase' })
      .expect(200);
    expect(changed.body).toEqual({ token_type: 'cookie', expires_in: 900 });
    c = setCookies(changed);
    jar = { access_token: c.access_token.value, refresh_token: c.refresh_token.value, csrf_token: c.csrf_token.value };
    await t.http().post('/api/logout').set('Cookie', apiCookies(jar)).set('X-CSRF-Token', jar.csrf_token).expect(204);
    expect((await t.http().get('/api/me').set('Cookie', apiCookies(jar))).status).toBe(401);
  });
});
