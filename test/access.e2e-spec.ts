import { createTestApp, STRONG_PASSWORD, TestApp } from './utils/create-test-app';
import { bearer, decode, login, loginAs, uniqueName } from './utils/auth';

/**
 * Who may call each route. A route the app registers that is missing here
 * fails the first test, so every change of access shows up as a diff to review.
 *
 *   anyone         open to anonymous callers
 *   user           any access token
 *   admin          an admin's access token; others 403
 *   self-or-admin  the user the path names, or an admin; others 403
 *   owner          the owner of the resource; anyone else 404, as if it did not exist
 *   refresh        a refresh token (an access token is 401)
 *   jwks           open, but 404 for everyone under HS256 (this app): no public keys (test/keys.e2e-spec.ts serves them)
 */
type Who = 'anyone' | 'user' | 'admin' | 'self-or-admin' | 'owner' | 'refresh' | 'jwks';
type Caller = 'anonymous' | 'user' | 'owner' | 'admin';
/** '2xx', or the exact status when it is not a success. */
type Outcome = string;

interface Ctx {
  /** The user the path names or who owns the resource (the "owner" caller). */
  owner: { id: number; username: string };
  taskOf: (token: string) => Promise<number>;
  product: () => Promise<number>;
}
type Prepared = { url?: string; body?: object };
type Prepare = (ctx: Ctx, ownerToken: string) => Prepared | Promise<Prepared>;

const ACCESS: Record<string, { who: Who; prepare?: Prepare }> = {
  'GET /.well-known/jwks.json': { who: 'jwks' },
  // Open outside production; there, METRICS_TOKEN (test/metrics.e2e-spec.ts).
  'GET /metrics': { who: 'anyone' },
  'GET /api/health': { who: 'anyone' },
  'GET /api/health/ready': { who: 'anyone' },
  'POST /api/register': {
    who: 'anyone',
    prepare: () => ({ body: { username: uniqueName('acc'), password: STRONG_PASSWORD } }),
  },
  'POST /api/login': {
    who: 'anyone',
    prepare: ({ owner }) => ({ body: { username: owner.username, password: STRONG_PASSWORD } }),
  },
  'POST /api/refresh': { who: 'refresh' },
  'POST /api/logout': { who: 'user' },
  'GET /api/me': { who: 'user' },
  'PATCH /api/me/password': {
    who: 'user',
    prepare: () => ({ body: { current_password: STRONG_PASSWORD, new_password: 'another-long-passphrase' } }),
  },
  'GET /api/sessions': { who: 'user' },
  'DELETE /api/sessions/:id': {
    who: 'owner',
    prepare: (_ctx, token) => ({ url: `/api/sessions/${decode(token).sid as string}` }),
  },
  'GET /api/users': { who: 'admin' },
  'POST /api/users': {
    who: 'admin',
    prepare: () => ({ body: { username: uniqueName('acc'), password: STRONG_PASSWORD, role: 'user' } }),
  },
  'GET /api/users/:id': { who: 'self-or-admin', prepare: ({ owner }) => ({ url: `/api/users/${owner.id}` }) },
  'PATCH /api/users/:id/role': {
    who: 'admin',
    prepare: ({ owner }) => ({ url: `/api/users/${owner.id}/role`, body: { role: 'user' } }),
  },
  'DELETE /api/users/:id': { who: 'self-or-admin', prepare: ({ owner }) => ({ url: `/api/users/${owner.id}` }) },
  'GET /api/products': { who: 'user' },
  'GET /api/products/:id': {
    who: 'user',
    prepare: async ({ product }) => ({ url: `/api/products/${await product()}` }),
  },
  'POST /api/products': { who: 'admin', prepare: () => ({ body: { name: 'Access', price: 1.5 } }) },
  'PATCH /api/products/:id': {
    who: 'admin',
    prepare: async ({ product }) => ({ url: `/api/products/${await product()}`, body: { price: 2 } }),
  },
  'DELETE /api/products/:id': {
    who: 'admin',
    prepare: async ({ product }) => ({ url: `/api/products/${await product()}` }),
  },
  'GET /api/tasks': { who: 'user' },
  'POST /api/tasks': { who: 'user', prepare: () => ({ body: { title: 'Access check' } }) },
  'GET /api/tasks/:id': {
    who: 'owner',
    prepare: async ({ taskOf }, token) => ({ url: `/api/tasks/${await taskOf(token)}` }),
  },
  'PATCH /api/tasks/:id': {
    who: 'owner',
    prepare: async ({ taskOf }, token) => ({ url: `/api/tasks/${await taskOf(token)}`, body: { done: true } }),
  },
  'DELETE /api/tasks/:id': {
    who: 'owner',
    prepare: async ({ taskOf }, token) => ({ url: `/api/tasks/${await taskOf(token)}` }),
  },
};

/** What each kind of caller gets, per kind of route. */
const EXPECTED: Record<Who, Record<Caller, Outcome>> = {
  anyone: { anonymous: '2xx', user: '2xx', owner: '2xx', admin: '2xx' },
  user: { anonymous: '401', user: '2xx', owner: '2xx', admin: '2xx' },
  admin: { anonymous: '401', user: '403', owner: '403', admin: '2xx' },
  'self-or-admin': { anonymous: '401', user: '403', owner: '2xx', admin: '2xx' },
  owner: { anonymous: '401', user: '404', owner: '2xx', admin: '404' },
  refresh: { anonymous: '401', user: '2xx', owner: '2xx', admin: '2xx' },
  jwks: { anonymous: '404', user: '404', owner: '404', admin: '404' },
};

const CALLERS: Caller[] = ['anonymous', 'user', 'owner', 'admin'];

// Four callers with fresh logins (bcrypt) per route: the bound grows with the table; 120 s ran out on a busy machine.
jest.setTimeout(Object.keys(ACCESS).length * 8_000);

describe('Access table: every registered route and who may call it (e2e)', () => {
  let t: TestApp;
  let adminToken: string;
  beforeAll(async () => {
    t = await createTestApp();
    adminToken = (await loginAs(t, 'admin')).access_token;
  });
  afterAll(() => t.close());

  it('lists exactly the routes the app registers', () => {
    // Swagger UI's static files are documentation, open to anyone (test/openapi.e2e-spec.ts).
    const registered = t.routes
      .filter((r) => !r.url.startsWith('/api/docs'))
      .map((r) => `${r.method} ${r.url}`)
      .sort();
    expect(registered).toEqual(Object.keys(ACCESS).sort());
  });

  it('gives each caller the status its role allows, on every route', async () => {
    // A new admin per check, with the users' password, so no check touches the bootstrap admin.
    const newAdmin = async () => {
      const username = uniqueName('adm');
      await t
        .http()
        .post('/api/users')
        .set(bearer(adminToken))
        .send({ username, password: STRONG_PASSWORD, role: 'admin' })
        .expect(201);
      return login(t, username);
    };
    const outcome = async (route: string, caller: Caller): Promise<Outcome> => {
      const [method, path] = route.split(' ');
      const { who, prepare } = ACCESS[route];
      // Fresh users and sessions per call, so a logout or a delete never affects another check.
      const owner = await loginAs(t, 'user');
      const callerTokens =
        caller === 'owner'
          ? owner
          : caller === 'user'
            ? await loginAs(t, 'user')
            : caller === 'admin'
              ? await newAdmin()
              : undefined;
      const ctx: Ctx = {
        owner,
        taskOf: async (token) =>
          (await t.http().post('/api/tasks').set(bearer(token)).send({ title: 'Owned' }).expect(201)).body.id as number,
        product: async () =>
          (await t.http().post('/api/products').set(bearer(adminToken)).send({ name: 'Item', price: 1 }).expect(201))
            .body.id as number,
      };
      const { url = path, body } = prepare ? await prepare(ctx, owner.access_token) : {};
      let req = t.http()[method.toLowerCase() as 'get' | 'post' | 'patch' | 'delete'](url);
      if (callerTokens)
        req = req.set(bearer(who === 'refresh' ? callerTokens.refresh_token : callerTokens.access_token));
      const res = await (body ? req.send(body) : req);
      return res.status >= 200 && res.status < 300 ? '2xx' : String(res.status);
    };

    const actual: Record<string, Record<Caller, Outcome>> = {};
    const expected: Record<string, Record<Caller, Outcome>> = {};
    for (const route of Object.keys(ACCESS)) {
      expected[route] = EXPECTED[ACCESS[route].who];
      actual[route] = Object.fromEntries(
        await Promise.all(CALLERS.map(async (c) => [c, await outcome(route, c)])),
      ) as Record<Caller, Outcome>;
    }
    expect(actual).toEqual(expected);
  });
});
