import { createTestApp, TestApp } from './utils/create-test-app';
import { loginAs } from './utils/auth';

const LEAKS = /at \w|\.ts:|\.js:|node_modules|FST_|fastify|typeorm|sqlite|SELECT|INSERT|QueryFailed|class-validator/i;

describe('One error shape for every failure (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const expectShape = (res: { status: number; body: unknown; text: string }, status: number, message: unknown) => {
    expect(res.status).toBe(status);
    expect(res.body).toEqual({ statusCode: status, error: expect.any(String), message });
    expect(res.text).not.toMatch(LEAKS);
  };

  it('an unknown route is 404', async () => {
    expectShape(await t.http().get('/api/nothing-here'), 404, expect.any(String));
    expectShape(await t.http().get('/elsewhere'), 404, expect.any(String));
  });

  it('a known path with a method it lacks is 405 in the shape, with Allow', async () => {
    const login = await t.http().delete('/api/login');
    expectShape(login, 405, 'Method DELETE is not allowed on /api/login');
    expect(login.headers.allow).toBe('POST');
    const task = await t.http().put('/api/tasks/1?x=1').send({ title: 'x' });
    expectShape(task, 405, 'Method PUT is not allowed on /api/tasks/1');
    expect(task.headers.allow).toBe('GET, HEAD, PATCH, DELETE');
    expect((await t.http().post('/api/health')).headers.allow).toBe('GET, HEAD');
  });

  it('a body over 64 KiB is 413', async () => {
    const res = await t
      .http()
      .post('/api/login')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ username: 'a'.repeat(70_000), password: 'x' }));
    expectShape(res, 413, 'Request body is larger than 64 KiB');
    expect(res.body.error).toBe('Payload Too Large');
  });

  it('a body of exactly 64 KiB is read (and then judged by the DTO)', async () => {
    const filler = 'a'.repeat(64 * 1024 - JSON.stringify({ username: '', password: 'x' }).length);
    const body = JSON.stringify({ username: filler, password: 'x' });
    expect(Buffer.byteLength(body)).toBe(64 * 1024);
    const res = await t.http().post('/api/login').set('Content-Type', 'application/json').send(body);
    expectShape(res, 400, ['username must be shorter than or equal to 64 characters']);
  });

  it('malformed JSON is 400', async () => {
    expectShape(
      await t.http().post('/api/login').set('Content-Type', 'application/json').send('{"username": '),
      400,
      'Body is not valid JSON',
    );
  });

  it('an empty JSON body is 400', async () => {
    expectShape(
      await t.http().post('/api/login').set('Content-Type', 'application/json').send(''),
      400,
      expect.any(String),
    );
  });

  it.each([
    ['text/plain', 'username=a'],
    ['application/x-www-form-urlencoded', 'username=a&password=b'],
    ['application/xml', '<a/>'],
  ])('a %s body is 415', async (type, body) => {
    expectShape(
      await t.http().post('/api/login').set('Content-Type', type).send(body),
      415,
      'Content-Type must be application/json',
    );
  });

  it.each([
    ['__proto__', '{"__proto__": {"role": "admin"}, "username": "a", "password": "b"}'],
    ['constructor', '{"constructor": {"prototype": {"role": "admin"}}}'],
  ])('a %s key is 400 and pollutes nothing', async (_key, body) => {
    const res = await t.http().post('/api/register').set('Content-Type', 'application/json').send(body);
    expectShape(res, 400, expect.anything());
    expect(({} as Record<string, unknown>).role).toBeUndefined();
  });

  it('a JSON body that is not an object is 400', async () => {
    for (const body of ['[]', '"text"', '42', 'null']) {
      expectShape(
        await t.http().post('/api/login').set('Content-Type', 'application/json').send(body),
        400,
        expect.any(Array),
      );
    }
  });

  it('validation failures list one message per broken rule, naming the field', async () => {
    const res = await t.http().post('/api/register').send({ username: 'x', password: 5, nickname: 'n' });
    expectShape(
      res,
      400,
      expect.arrayContaining([
        'property nickname should not exist',
        'password must be a string',
        expect.stringMatching(/^username /),
      ]),
    );
  });

  it('guard refusals use the shape', async () => {
    const user = await loginAs(t, 'user');
    expectShape(
      await t.http().get('/api/users').set('Authorization', `Bearer ${user.access_token}`),
      403,
      'Admin access required',
    );
    expectShape(await t.http().get('/api/me'), 401, 'Missing Authorization Header');
  });

  it('returns an X-Request-Id on every response, keeping a sane one the client sent', async () => {
    const generated = await t.http().get('/api/nothing-here');
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const kept = await t.http().get('/api/me').set('X-Request-Id', 'client-abc.123');
    expect(kept.headers['x-request-id']).toBe('client-abc.123');
    const replaced = await t.http().get('/api/me').set('X-Request-Id', 'bad id with spaces');
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
