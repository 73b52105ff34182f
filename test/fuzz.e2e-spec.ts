import fc from 'fast-check';
import { STATUS_CODES } from 'node:http';
import { DataSource } from 'typeorm';
import { createTestApp, TestApp } from './utils/create-test-app';
import { bearer, loginAs } from './utils/auth';

type Caller = 'anonymous' | 'user' | 'admin';

/**
 * Property-based: generated JSON bodies, query strings and path ids, sent to
 * every route the app registers as every kind of caller. Whatever arrives:
 * never a 5xx, always the contract's error shape, and a refused request leaves
 * the database exactly as it was.
 */
describe('Fuzzing every route (e2e)', () => {
  let t: TestApp;
  let ds: DataSource;
  const tokens: Partial<Record<Caller, string>> = {};

  beforeAll(async () => {
    t = await createTestApp();
    ds = t.app.get(DataSource);
    const owner = await loginAs(t, 'user');
    await t.http().post('/api/tasks').set(bearer(owner.access_token)).send({ title: 'Fixture task' }).expect(201);
    const admin = await loginAs(t, 'admin');
    await t
      .http()
      .post('/api/products')
      .set(bearer(admin.access_token))
      .send({ name: 'Fixture', price: 1 })
      .expect(201);
  });
  afterAll(() => t.close());

  /** A caller's token, logged in again when a generated request ended its session or account. */
  async function tokenOf(caller: Caller): Promise<string | undefined> {
    if (caller === 'anonymous') return undefined;
    const current = tokens[caller];
    if (current && (await t.http().get('/api/me').set(bearer(current))).status === 200) return current;
    const fresh = (await loginAs(t, caller)).access_token;
    // Tasks of its own, so generated ids reach the owner's PATCH and DELETE paths too.
    for (const title of ['Mine', 'Also mine'])
      await t.http().post('/api/tasks').set(bearer(fresh)).send({ title }).expect(201);
    tokens[caller] = fresh;
    return fresh;
  }

  /** Everything a request could change, less what reads legitimately touch (last_used_at). */
  async function fingerprint(): Promise<string> {
    const rows = await Promise.all([
      ds.query('SELECT id, username_key, role, password_hash FROM users ORDER BY id'),
      ds.query('SELECT id, user_id, refresh_jti_hash, revoked_at, expires_at FROM sessions ORDER BY id'),
      ds.query('SELECT id, name, description, price_cents, updated_at, version FROM products ORDER BY id'),
      ds.query('SELECT id, title, description, done, user_id, updated_at, version FROM tasks ORDER BY id'),
      ds.query('SELECT id, user_id, route, key, request_hash, status_code FROM idempotency_keys ORDER BY id'),
    ]);
    return JSON.stringify(rows);
  }

  const fieldNames = [
    'username',
    'password',
    'role',
    'use_cookies',
    'current_password',
    'new_password',
    'name',
    'price',
    'description',
    'title',
    'done',
    'id',
    'user_id',
    'limit',
    'offset',
  ];
  const key = fc.oneof(fc.constantFrom(...fieldNames), fc.string({ maxLength: 12 }));
  const value = fc.oneof(
    fc.jsonValue({ maxDepth: 3 }),
    fc.string({ maxLength: 300 }),
    fc.constantFrom(
      '',
      'admin',
      'user',
      'correct-horse-battery-staple',
      'Adm1n-Passw0rd-For-Tests',
      1e308,
      -1,
      0.1,
      2147483648,
      true,
    ),
  );
  const objectBody = fc.dictionary(key, value, { maxKeys: 6 }).map((o) => JSON.stringify(o));
  const rawBody = fc.oneof(
    objectBody,
    fc.json({ maxDepth: 4 }),
    fc.string({ maxLength: 200 }),
    fc.constantFrom(
      '{"__proto__":{"role":"admin"}}',
      '{"constructor":{"prototype":{}}}',
      '[',
      '{"a":' + '['.repeat(40) + ']'.repeat(40) + '}',
      'null',
      '',
    ),
  );
  const pathId = fc.oneof(
    fc.integer({ min: -3, max: 12 }).map(String),
    fc.constantFrom(
      'abc',
      '1.5',
      '-1',
      '0',
      '1e3',
      '2147483648',
      '0x10',
      '%20',
      '%00',
      '..',
      fc.sample(fc.uuid(), 1)[0],
    ),
    fc.uuid(),
    fc.string({ minLength: 1, maxLength: 20 }).map(encodeURIComponent),
  );
  const query = fc.dictionary(
    fc.constantFrom('limit', 'offset', 'done', 'sort', '__proto__'),
    fc.oneof(fc.integer({ min: -5, max: 200 }).map(String), fc.string({ maxLength: 8 })),
    { maxKeys: 3 },
  );

  const entityTag = fc.oneof(
    fc.integer({ min: 0, max: 4 }).map((v) => `"${v}"`),
    fc.constantFrom('*', 'W/"1"', '"1", "2"', '1', '"', '"a" junk', ',', ''),
    fc.string({ maxLength: 12 }),
  );
  // Conditional and idempotency headers: values a header can carry (visible ASCII and spaces).
  const headers = fc.record(
    {
      'If-Match': entityTag,
      'If-None-Match': entityTag,
      'Idempotency-Key': fc.oneof(fc.constantFrom('k1', 'k2'), fc.stringMatching(/^[\x20-\x7e]{0,300}$/)),
    },
    { requiredKeys: [] },
  );

  it('never answers 5xx, always answers errors in the contract shape, and a refusal changes nothing', async () => {
    const routes = t.routes;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.constantFrom<Caller>('anonymous', 'user', 'admin'),
        pathId,
        query,
        rawBody,
        fc.boolean(),
        headers,
        async (route, caller, id, q, body, sendBody, extra) => {
          const token = await tokenOf(caller);
          const url =
            route.url.replace(':id', id) + (Object.keys(q).length ? `?${new URLSearchParams(q).toString()}` : '');
          const before = await fingerprint();
          let req = t.http()[route.method.toLowerCase() as 'get' | 'post' | 'patch' | 'delete'](url);
          if (token) req = req.set(bearer(token));
          for (const [name, value] of Object.entries(extra)) req = req.set(name, value.trim());
          const res = await (sendBody && route.method !== 'GET'
            ? req.set('Content-Type', 'application/json').send(body)
            : req);
          expect(res.status).toBeLessThan(500);
          if (res.status >= 400) {
            expect(res.body).toEqual({
              statusCode: res.status,
              error: STATUS_CODES[res.status],
              message: expect.anything(),
            });
            const message = res.body.message as unknown;
            expect(
              typeof message === 'string' || (Array.isArray(message) && message.every((m) => typeof m === 'string')),
            ).toBe(true);
            expect(await fingerprint()).toBe(before);
          }
        },
      ),
      { numRuns: 600 },
    );
  }, 180_000);
});
