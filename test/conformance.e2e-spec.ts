import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OpenAPIObject } from '@nestjs/swagger';
import { buildOpenApi } from 'src/docs/openapi';
import { createTaskApiClient, Schemas } from '../client';
import { uniqueName } from './utils/auth';
import { ADMIN, createTestApp, STRONG_PASSWORD, TestApp } from './utils/create-test-app';

interface Seen {
  request: string;
  status: number;
  /** Prism's findings: where (request or response) and what. */
  violations: unknown[];
}

const isDocument = (value: unknown): value is Pick<OpenAPIObject, 'paths'> =>
  typeof value === 'object' && value !== null && 'paths' in value && typeof value.paths === 'object';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Prism (Stoplight) as a validating proxy: it reports in `sl-violations` where requests or answers break the document. */
async function startPrism(document: string, upstream: string): Promise<{ url: string; process: ChildProcess }> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      require.resolve('@stoplight/prism-cli/dist/index.js'),
      'proxy',
      document,
      upstream,
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const deadline = Date.now() + 90_000;
  while (!output.includes('Prism is listening')) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill();
      throw new Error(`prism did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url: `http://127.0.0.1:${port}`, process: child };
}

/**
 * The third-party conformance run: every operation of the document is called through
 * Prism in front of the real service, and Prism finds no violation and no 5xx.
 * Requests that are bad on purpose (wrong password, someone else's id) are valid
 * requests; their answers are checked like any other.
 */
describe('Conformance: Prism validates every answer against the document (e2e)', () => {
  let t: TestApp;
  let dir: string;
  let prism: { url: string; process: ChildProcess } | undefined;
  const seen: Seen[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    await t.app.listen(0, '127.0.0.1');
    dir = mkdtempSync(join(tmpdir(), 'task-api-prism-'));
    const document = join(dir, 'openapi.json');
    writeFileSync(document, JSON.stringify(buildOpenApi(t.app)));
    prism = await startPrism(document, await t.app.getUrl());
  });
  afterAll(async () => {
    if (prism) {
      const exited = new Promise((resolve) => prism?.process.once('exit', resolve));
      prism.process.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
    await t.close();
  });

  /** A client through Prism that records Prism's verdict on each exchange. */
  const through = (token?: string) =>
    createTaskApiClient(prism?.url ?? '', {
      headers: token ? { Authorization: `Bearer ${token}` } : {},
      fetch: async (request: Request) => {
        const response = await fetch(request, { signal: AbortSignal.timeout(30_000) });
        const header = response.headers.get('sl-violations');
        const violations: unknown = header ? JSON.parse(header) : [];
        seen.push({
          request: `${request.method} ${new URL(request.url).pathname}`,
          status: response.status,
          violations: Array.isArray(violations) ? violations : [violations],
        });
        return response;
      },
    });

  const data = <T>(result: { data?: T; response: Response }): T => {
    if (result.data === undefined) throw new Error(`unexpected ${result.response.status}`);
    return result.data;
  };
  const bearer = (answer: Schemas['TokenResponse'] | Schemas['CookieTokenResponse']) => {
    if (answer.token_type !== 'Bearer') throw new Error('expected bearer tokens');
    return answer;
  };

  it('every operation, answers 2xx and 4xx alike, with zero violations and zero 5xx', async () => {
    const anonymous = through();
    data(await anonymous.GET('/api/health'));
    data(await anonymous.GET('/api/health/ready'));
    expect((await anonymous.GET('/.well-known/jwks.json')).response.status).toBe(404);

    const username = uniqueName('prism');
    const user = data(await anonymous.POST('/api/register', { body: { username, password: STRONG_PASSWORD } }));
    expect(
      (await anonymous.POST('/api/register', { body: { username, password: STRONG_PASSWORD } })).response.status,
    ).toBe(409);
    expect(
      (await anonymous.POST('/api/login', { body: { username, password: 'not-the-password' } })).response.status,
    ).toBe(401);
    const cookie = data(
      await anonymous.POST('/api/login', { body: { username, password: STRONG_PASSWORD, use_cookies: true } }),
    );
    expect(cookie.token_type).toBe('cookie');
    const tokens = bearer(data(await anonymous.POST('/api/login', { body: { username, password: STRONG_PASSWORD } })));
    let client = through(tokens.access_token);

    expect(data(await client.GET('/api/me')).id).toBe(user.id);
    const renewed = bearer(
      data(
        await client.PATCH('/api/me/password', {
          body: { current_password: STRONG_PASSWORD, new_password: `${STRONG_PASSWORD}-2` },
        }),
      ),
    );
    client = through(renewed.access_token);
    const second = bearer(
      data(await anonymous.POST('/api/login', { body: { username, password: `${STRONG_PASSWORD}-2` } })),
    );
    const sessions = data(await client.GET('/api/sessions', { params: { query: { limit: 10 } } }));
    const other = sessions.find((s) => s.id !== sessions.find((c) => c.current)?.id);
    expect(other).toBeDefined();
    expect(
      (await client.DELETE('/api/sessions/{id}', { params: { path: { id: other?.id ?? '' } } })).response.status,
    ).toBe(204);
    expect((await through(second.access_token).GET('/api/me')).response.status).toBe(401);

    const task = data(await client.POST('/api/tasks', { body: { title: 'Conform', description: 'through Prism' } }));
    data(await client.POST('/api/tasks', { body: { title: 'Another', done: true } }));
    const page = await client.GET('/api/tasks', { params: { query: { limit: 1, offset: 1, done: false } } });
    expect(page.response.headers.get('X-Total-Count')).toBe('1');
    data(await client.GET('/api/tasks/{id}', { params: { path: { id: task.id } } }));
    data(await client.PATCH('/api/tasks/{id}', { params: { path: { id: task.id } }, body: { description: null } }));
    expect((await client.DELETE('/api/tasks/{id}', { params: { path: { id: task.id } } })).response.status).toBe(204);
    expect((await client.GET('/api/tasks/{id}', { params: { path: { id: task.id } } })).response.status).toBe(404);

    const adminTokens = bearer(
      data(await anonymous.POST('/api/login', { body: { username: ADMIN.username, password: ADMIN.password } })),
    );
    const admin = through(adminTokens.access_token);
    // Prices Ajv's float division judges right: 19.99 / 0.01 = 1998.9999999999998 fails multipleOf
    // there (README, "OpenAPI and the typed client"); our own validator and the journey use 19.99.
    const product = data(await admin.POST('/api/products', { body: { name: 'Beans', price: 9.99 } }));
    expect((await client.POST('/api/products', { body: { name: 'Nope', price: 1 } })).response.status).toBe(403);
    data(await admin.GET('/api/products', { params: { query: { limit: 5 } } }));
    data(await client.GET('/api/products/{id}', { params: { path: { id: product.id } } }));
    data(await admin.PATCH('/api/products/{id}', { params: { path: { id: product.id } }, body: { price: 4.99 } }));
    expect((await admin.DELETE('/api/products/{id}', { params: { path: { id: product.id } } })).response.status).toBe(
      204,
    );
    expect((await client.GET('/api/products/{id}', { params: { path: { id: product.id } } })).response.status).toBe(
      404,
    );

    data(await admin.GET('/api/users', { params: { query: { offset: 0 } } }));
    const created = data(
      await admin.POST('/api/users', {
        body: { username: uniqueName('prism'), password: STRONG_PASSWORD, role: 'user' },
      }),
    );
    data(await admin.GET('/api/users/{id}', { params: { path: { id: created.id } } }));
    expect((await client.GET('/api/users/{id}', { params: { path: { id: created.id } } })).response.status).toBe(403);
    data(await admin.PATCH('/api/users/{id}/role', { params: { path: { id: created.id } }, body: { role: 'admin' } }));
    expect((await admin.DELETE('/api/users/{id}', { params: { path: { id: created.id } } })).response.status).toBe(204);

    const pat = data(
      await client.POST('/api/tokens', { body: { name: 'conformance', scopes: ['tasks:read'], expires_in_days: 1 } }),
    );
    expect(data(await client.GET('/api/tokens', { params: { query: { limit: 10 } } })).map((p) => p.id)).toEqual([
      pat.id,
    ]);
    data(await through(pat.token).GET('/api/tasks', { params: { query: { limit: 1 } } }));
    expect((await through(pat.token).GET('/api/sessions')).response.status).toBe(403);
    expect((await client.DELETE('/api/tokens/{id}', { params: { path: { id: pat.id } } })).response.status).toBe(204);
    expect((await client.DELETE('/api/tokens/{id}', { params: { path: { id: pat.id } } })).response.status).toBe(404);
    data(await client.GET('/api/me/security-events', { params: { query: { limit: 5 } } }));
    data(await admin.GET('/api/audit-events', { params: { query: { user_id: user.id, limit: 5 } } }));
    expect((await client.GET('/api/audit-events')).response.status).toBe(403);

    const rotated = bearer(data(await through(renewed.refresh_token).POST('/api/refresh')));
    expect((await through(rotated.access_token).POST('/api/logout')).response.status).toBe(204);
    expect((await through(renewed.refresh_token).POST('/api/refresh')).response.status).toBe(401);

    // Every operation of the published document (client/openapi.json, which CI's client:check
    // holds equal to what the code builds) was called. A feature just made by `nest g` is not in
    // it until `npm run client`; its own e2e spec covers its routes, every answer checked by Ajv.
    const published: unknown = JSON.parse(readFileSync(join(__dirname, '..', 'client', 'openapi.json'), 'utf8'));
    if (!isDocument(published)) throw new Error('client/openapi.json is not an OpenAPI document');
    const doc = published;
    const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
      ['get', 'post', 'patch', 'put', 'delete']
        .filter((m) => m in item)
        .map((m) => `${m.toUpperCase()} ${path.replace(/\{id\}/, '*')}`),
    );
    const called = new Set(seen.map((s) => s.request.replace(/\/(\d+|[0-9a-f-]{36})(?=\/|$)/, '/*')));
    expect(operations.filter((o) => !called.has(o))).toEqual([]);
    expect(seen.filter((s) => s.violations.length > 0 || s.status >= 500)).toEqual([]);
  });
});
