import { sign } from 'jsonwebtoken';
import { connect, Socket } from 'node:net';
import { AddressInfo } from 'node:net';
import { createTestApp, ADMIN, STRONG_PASSWORD, TestApp } from './utils/create-test-app';
import { bearer, decode, login, loginAs, uniqueName } from './utils/auth';
import { isolatedRedisUrl } from './utils/redis';

const badRequest = (message: string) => ({ statusCode: 400, error: 'Bad Request', message: [message] });

/** Opens a raw connection to the app and sends `text`; resolves with what came back when the server closed it. */
function rawExchange(port: number, text: string, opts: { destroyAfterMs?: number; maxWaitMs?: number } = {}) {
  return new Promise<{ received: string; closedAfterMs: number }>((resolve, reject) => {
    const started = Date.now();
    let received = '';
    const socket: Socket = connect(port, '127.0.0.1', () => socket.write(text));
    socket.on('data', (d) => (received += d.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(guard);
      resolve({ received, closedAfterMs: Date.now() - started });
    });
    if (opts.destroyAfterMs !== undefined) setTimeout(() => socket.destroy(), opts.destroyAfterMs);
    const guard = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server kept the connection open for ${opts.maxWaitMs ?? 20_000} ms`));
    }, opts.maxWaitMs ?? 20_000);
  });
}

describe('Cheap attacks (e2e)', () => {
  let t: TestApp;
  let port: number;
  beforeAll(async () => {
    const redis = await isolatedRedisUrl(10);
    t = await createTestApp({
      ...(redis ? { REDIS_URL: redis } : {}),
      WRITE_RATE_LIMIT_PER_MINUTE: '5',
      REQUEST_TIMEOUT: '2',
      HEADERS_TIMEOUT: '1',
    });
    await t.app.listen(0, '127.0.0.1');
    port = (t.app.getHttpServer().address() as AddressInfo).port;
  });
  afterAll(() => t.close());

  const taskCount = async (token: string) =>
    Number((await t.http().get('/api/tasks').set(bearer(token)).expect(200)).headers['x-total-count']);

  describe('bearer header parsing', () => {
    it('refuses "Bearer <token> junk" with the contract message, and takes the bare token', async () => {
      const u = await loginAs(t, 'user');
      for (const header of [`Bearer ${u.access_token} junk`, `Bearer ${u.access_token} ${u.access_token}`]) {
        const res = await t.http().get('/api/me').set('Authorization', header);
        expect(res.status).toBe(401);
        expect(res.body).toEqual({
          statusCode: 401,
          error: 'Unauthorized',
          message: "Missing 'Bearer' type in 'Authorization' header",
        });
      }
      const refresh = await t.http().post('/api/refresh').set('Authorization', `Bearer ${u.refresh_token} x`);
      expect(refresh.status).toBe(401);
      expect(refresh.body.message).toBe("Missing 'Bearer' type in 'Authorization' header");
      await t.http().get('/api/me').set('Authorization', `Bearer ${u.access_token}`).expect(200);
    });
  });

  describe('token check order', () => {
    it.each(['jwk', 'jku', 'x5u', 'x5c', 'crit'])(
      'answers "Signature verification failed" for another algorithm that also carries %s',
      async (pointer) => {
        const u = await loginAs(t, 'user');
        const claims = decode(u.access_token);
        const value =
          pointer === 'jwk' ? { kty: 'oct', k: 'AAAA' } : pointer === 'crit' ? ['exp'] : 'https://x.example';
        const forged = sign(claims, t.env.JWT_SECRET, {
          algorithm: 'HS384',
          header: { alg: 'HS384', [pointer]: value },
        });
        const res = await t.http().get('/api/me').set(bearer(forged));
        expect(res.status).toBe(401);
        expect(res.body.message).toBe('Signature verification failed');
        // The same pointer with the configured algorithm is the key-pointer row.
        const sameAlg = sign(claims, t.env.JWT_SECRET, { header: { alg: 'HS256', [pointer]: value } });
        expect((await t.http().get('/api/me').set(bearer(sameAlg))).body.message).toBe('Invalid token');
      },
    );
  });

  it('keeps a malformed token "Invalid token", the earlier row, whatever its algorithm', async () => {
    const fresh = await loginAs(t, 'user');
    const segment = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    for (const token of [
      `${segment({ alg: 'HS384', jwk: { kty: 'oct' } })}.${Buffer.from('not json').toString('base64url')}.c2ln`,
      `${segment({ alg: 'none' })}.${segment(['an', 'array'])}.`,
      `${segment({ alg: 'HS512' })}.${segment({ sub: '1' })}`,
      // A signed token of another algorithm whose claims are incomplete: the claim row comes first.
      sign({ sub: '1', type: 'access' }, t.env.JWT_SECRET, { algorithm: 'HS512' }),
      sign({ ...decode(fresh.access_token), sid: 'not-a-uuid' }, t.env.JWT_SECRET, { algorithm: 'HS384' }),
    ]) {
      const res = await t.http().get('/api/me').set(bearer(token));
      expect(res.status).toBe(401);
      expect(res.body.message).toBe('Invalid token');
    }
  });

  describe('expensive bodies', () => {
    const post = (path: string, raw: string, token?: string) => {
      const req = t.http().post(path).set('Content-Type', 'application/json');
      return (token ? req.set(bearer(token)) : req).send(raw);
    };

    it('refuses 20,000 empty objects under an unknown key with 400 before validation, and stores nothing', async () => {
      const u = await loginAs(t, 'user');
      const body = `{"title":"t","x":[${Array(20_000).fill('{}').join(',')}]}`;
      expect(body.length).toBeLessThan(64 * 1024);
      for (const [path, token] of [
        ['/api/tasks', u.access_token],
        ['/api/register', undefined],
        ['/api/login', undefined],
      ] as const) {
        const res = await post(path, body, token);
        expect(res.status).toBe(400);
        expect(res.body).toEqual({
          statusCode: 400,
          error: 'Bad Request',
          message: 'Body must not hold more than 256 keys and values',
        });
      }
      expect(await taskCount(u.access_token)).toBe(0);
    });

    it.each([
      ['many keys', `{${Array.from({ length: 5000 }, (_, i) => `"k${i}":0`).join(',')}}`],
      ['many duplicate keys', `{${Array(5000).fill('"title":"t"').join(',')}}`],
      ['a long array of numbers', `{"title":[${Array(20_000).fill('1').join(',')}]}`],
    ])('refuses %s the same way', async (_label, body) => {
      const u = await loginAs(t, 'user');
      const res = await post('/api/tasks', body, u.access_token);
      expect(res.status).toBe(400);
      expect(res.body.message).toBe('Body must not hold more than 256 keys and values');
    });

    it('leaves a body within the bound to the DTO rules', async () => {
      const u = await loginAs(t, 'user');
      const res = await post('/api/tasks', `{"title":"t","x":[${Array(100).fill('{}').join(',')}]}`, u.access_token);
      expect(res.status).toBe(400);
      expect(res.body.message).toEqual(['property x should not exist']);
    });
  });

  describe('control characters', () => {
    it('refuses NUL and other C0 controls in task fields with 400 naming the field, storing nothing', async () => {
      const u = await loginAs(t, 'user');
      for (const [body, field] of [
        [{ title: 'a\u0000b' }, 'title'],
        [{ title: 'bell\u0007' }, 'title'],
        [{ title: 'two\nlines' }, 'title'],
        [{ title: 'ok', description: 'nul \u0000 inside' }, 'description'],
        [{ title: 'ok', description: 'escape \u001b[31m' }, 'description'],
      ] as const) {
        const res = await t.http().post('/api/tasks').set(bearer(u.access_token)).send(body);
        expect(res.status).toBe(400);
        expect(res.body).toEqual(badRequest(`${field} must not contain control characters`));
      }
      expect(await taskCount(u.access_token)).toBe(0);
    });

    it('keeps tab, CR and LF in a description, stored exactly', async () => {
      const u = await loginAs(t, 'user');
      const description = 'line one\r\n\tline two\n';
      const created = await t
        .http()
        .post('/api/tasks')
        .set(bearer(u.access_token))
        .send({ title: 'multi-line', description })
        .expect(201);
      const read = await t.http().get(`/api/tasks/${created.body.id}`).set(bearer(u.access_token)).expect(200);
      expect(read.body.description).toBe(description);
      const patched = await t
        .http()
        .patch(`/api/tasks/${created.body.id}`)
        .set(bearer(u.access_token))
        .send({ title: 'x\u0000' });
      expect(patched.body).toEqual(badRequest('title must not contain control characters'));
      const again = await t.http().get(`/api/tasks/${created.body.id}`).set(bearer(u.access_token)).expect(200);
      expect(again.body.title).toBe('multi-line');
    });

    it('refuses them in usernames and passwords at register, login and password change', async () => {
      const name = uniqueName('c0');
      const cases: Array<[string, Record<string, unknown>, string]> = [
        ['/api/register', { username: `${name}\u0000`, password: STRONG_PASSWORD }, 'username'],
        ['/api/register', { username: name, password: `${STRONG_PASSWORD}\u0000` }, 'password'],
        ['/api/login', { username: `${ADMIN.username}\u0000`, password: ADMIN.password }, 'username'],
        ['/api/login', { username: ADMIN.username, password: `\u0000${ADMIN.password}` }, 'password'],
      ];
      for (const [path, body, field] of cases) {
        const res = await t.http().post(path).send(body);
        expect(res.status).toBe(400);
        expect(res.body).toEqual(badRequest(`${field} must not contain control characters`));
      }
      // Nothing was registered under the name.
      await t.http().post('/api/login').send({ username: name, password: STRONG_PASSWORD }).expect(401);
      const u = await loginAs(t, 'user');
      const change = await t
        .http()
        .patch('/api/me/password')
        .set(bearer(u.access_token))
        .send({ current_password: STRONG_PASSWORD, new_password: 'another-long\u0001passphrase' });
      expect(change.body).toEqual(badRequest('new_password must not contain control characters'));
      await login(t, u.username, STRONG_PASSWORD);
    });

    it('refuses them in product fields', async () => {
      const admin = await loginAs(t, 'admin');
      const res = await t
        .http()
        .post('/api/products')
        .set(bearer(admin.access_token))
        .send({ name: 'Widget\u0000', price: 1 });
      expect(res.body).toEqual(badRequest('name must not contain control characters'));
    });
  });

  describe('per-user limit on authenticated writes', () => {
    it('answers 429 with Retry-After past WRITE_RATE_LIMIT_PER_MINUTE, for that user only and only for writes', async () => {
      const a = await loginAs(t, 'user');
      const b = await loginAs(t, 'user');
      const ids: number[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await t
          .http()
          .post('/api/tasks')
          .set(bearer(a.access_token))
          .send({ title: `t${i}` })
          .expect(201);
        ids.push(res.body.id);
      }
      for (const res of [
        await t.http().post('/api/tasks').set(bearer(a.access_token)).send({ title: 'one too many' }),
        await t.http().delete(`/api/tasks/${ids[0]}`).set(bearer(a.access_token)),
      ]) {
        expect(res.status).toBe(429);
        expect(res.body).toEqual({ statusCode: 429, error: 'Too Many Requests', message: 'Too many requests' });
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
        expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(60);
      }
      expect(await taskCount(a.access_token)).toBe(5);
      await t.http().post('/api/tasks').set(bearer(b.access_token)).send({ title: 'b' }).expect(201);
      expect(t.logs()).toContainEqual(
        expect.objectContaining({ audit: 'rate_limit.throttled', userId: a.id, route: '/api/tasks' }),
      );
    });
  });

  describe('slow and aborted requests', () => {
    it('answers 408 and closes a connection whose body stalls', async () => {
      const { received, closedAfterMs } = await rawExchange(
        port,
        'POST /api/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"user',
      );
      expect(received).toMatch(/^HTTP\/1\.1 408 /);
      expect(closedAfterMs).toBeGreaterThanOrEqual(1_500);
    });

    it('closes a connection whose headers stall', async () => {
      const { received } = await rawExchange(port, 'GET /api/health HTTP/1.1\r\nHost: x\r\nX-Slow: ');
      expect(received).toMatch(/^HTTP\/1\.1 408 /);
    });

    it('logs a request its client aborted at info, once, without a stack', async () => {
      const before = t.logs().length;
      await rawExchange(
        port,
        'POST /api/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"user',
        { destroyAfterMs: 200 },
      );
      let lines: Array<Record<string, unknown>> = [];
      for (let i = 0; i < 100; i++) {
        lines = t.logs().slice(before);
        if (lines.some((l) => l.msg === 'request aborted')) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      const aborted = lines.filter((l) => l.msg === 'request aborted');
      expect(aborted).toHaveLength(1);
      expect(aborted[0].level).toBe(30);
      expect(lines.filter((l) => (l.level as number) >= 40)).toEqual([]);
      expect(JSON.stringify(lines)).not.toContain('stack');
    });
  });

  describe('Swagger UI', () => {
    it('serves the page and the files it loads', async () => {
      for (const path of ['/api/docs', '/api/docs/']) {
        const page = await t.http().get(path).expect(200);
        const assets = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
        expect(assets.length).toBeGreaterThanOrEqual(4);
        for (const asset of assets) {
          const url = new URL(asset, `http://x${path}`).pathname;
          expect([url, (await t.http().get(url)).status]).toEqual([url, 200]);
        }
      }
    });

    it.each([
      'package.json',
      'README.md',
      'LICENSE',
      'swagger-ui-bundle.js.map',
      'swagger-ui.js',
      'index.js',
      'absolute-path.js',
      'log.bundle-sizes.swagger-ui.txt',
      'docs/package.json',
      'docs/swagger-ui-es-bundle.js.map',
    ])('does not serve /api/docs/%s', async (file) => {
      const res = await t.http().get(`/api/docs/${file}`);
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
    });
  });
});
