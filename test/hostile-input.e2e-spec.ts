import { createTestApp, STRONG_PASSWORD, TestApp } from './utils/create-test-app';
import { bearer, loginAs, uniqueName } from './utils/auth';

describe('Hostile input (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const post = (path: string, raw: string, token?: string) => {
    const req = t.http().post(path).set('Content-Type', 'application/json');
    return (token ? req.set(bearer(token)) : req).send(raw);
  };
  const nested = (levels: number, inner = '1') => '['.repeat(levels) + inner + ']'.repeat(levels);

  it('refuses JSON nested deeper than 32 levels with 400', async () => {
    const res = await post('/api/login', `{"username":${nested(32)}}`);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'Body must not nest deeper than 32 levels',
    });
  });

  it('accepts 32 levels (then the DTO judges it)', async () => {
    const res = await post('/api/login', `{"username":${nested(31)}}`);
    expect(res.status).toBe(400);
    expect(res.body.message).toEqual(expect.arrayContaining(['username must be a string']));
  });

  it('refuses a 64 KiB wall of brackets quickly and without a 5xx', async () => {
    const res = await post('/api/login', '['.repeat(60_000));
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('Body must not nest deeper than 32 levels');
  });

  it('does not count brackets inside strings, escaped quotes included', async () => {
    const username = `x\\"${'['.repeat(40)}`;
    const res = await post('/api/login', `{"username":"${username}","password":"y"}`);
    expect(res.status).toBe(401);
    expect(res.body.message).toBe('Invalid credentials');
  });

  it.each([
    ['__proto__ at the top', '{"__proto__":{"isAdmin":true},"username":"a","password":"b"}'],
    ['__proto__ nested', '{"title":"t","description":{"__proto__":{"x":1}}}'],
    ['constructor.prototype', '{"constructor":{"prototype":{"role":"admin"}}}'],
  ])('refuses %s with 400 and pollutes no prototype', async (_label, body) => {
    const res = await post('/api/register', body);
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('Body must not contain "__proto__" or "constructor" keys');
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(({} as Record<string, unknown>).role).toBeUndefined();
  });

  it('never lets a duplicate key escalate: the last value wins and is judged like any other', async () => {
    const name = uniqueName('dup');
    const res = await post(
      '/api/register',
      `{"username":"${name}","password":"${STRONG_PASSWORD}","role":"user","role":"admin"}`,
    );
    expect(res.status).toBe(403);
    const user = await loginAs(t, 'user');
    const task = await post(
      '/api/tasks',
      '{"title":"a","title":"b","done":true,"done":false}',
      user.access_token,
    ).expect(201);
    expect(task.body).toMatchObject({ title: 'b', done: false, user_id: user.id });
  });

  it.each([
    ['a string longer than its DTO allows', { title: 't'.repeat(10_000) }],
    ['a huge number', { title: 't', done: 1e308 }],
    ['an array for a string', { title: ['t'] }],
    ['an object for a boolean', { title: 't', done: { valueOf: true } }],
  ])('refuses %s with 400', async (_label, body) => {
    const user = await loginAs(t, 'user');
    const res = await t.http().post('/api/tasks').set(bearer(user.access_token)).send(body);
    expect(res.status).toBe(400);
  });

  it('registers one user when the same name is registered 20 times at once', async () => {
    const username = uniqueName('race');
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t
          .http()
          .post('/api/register')
          .send({ username: i % 2 ? username : username.toUpperCase(), password: STRONG_PASSWORD }),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    for (const r of results.filter((x) => x.status === 409))
      expect(r.body).toEqual({ statusCode: 409, error: 'Conflict', message: 'Username already exists' });
    const admin = await loginAs(t, 'admin');
    const list = await t.http().get('/api/users?limit=100').set(bearer(admin.access_token));
    expect(
      (list.body as Array<{ username: string }>).filter((u) => u.username.toLowerCase() === username.toLowerCase()),
    ).toHaveLength(1);
  });
});
