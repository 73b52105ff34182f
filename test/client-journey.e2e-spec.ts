import { createTaskApiClient, Schemas, TaskApiClient } from '../client';
import { uniqueName } from './utils/auth';
import { ADMIN, createTestApp, STRONG_PASSWORD, TestApp } from './utils/create-test-app';

/** The data of a successful answer; anything else fails the test with the error the server sent. */
function ok<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.data === undefined) {
    throw new Error(`${result.response.status} ${JSON.stringify(result.error)}`);
  }
  return result.data;
}

/** Narrows a token answer to the bearer one (a login without use_cookies gives it). */
function bearerTokens(answer: Schemas['TokenResponse'] | Schemas['CookieTokenResponse']): Schemas['TokenResponse'] {
  if (answer.token_type !== 'Bearer') throw new Error(`expected bearer tokens, got ${answer.token_type}`);
  return answer;
}

/**
 * A user's whole journey through the committed typed client (client/, generated from the
 * document): it compiles under --strict with no type assertions, so the document's types
 * are the ones the service really uses.
 */
describe('The typed client drives the whole journey (e2e)', () => {
  let t: TestApp;
  let baseUrl: string;
  beforeAll(async () => {
    t = await createTestApp();
    await t.app.listen(0, '127.0.0.1');
    baseUrl = await t.app.getUrl();
  });
  afterAll(() => t.close());

  const as = (token: string): TaskApiClient =>
    createTaskApiClient(baseUrl, { headers: { Authorization: `Bearer ${token}` } });

  it('register, login, me, tasks CRUD with paging headers, refresh, logout; an admin adds a product at 19.99', async () => {
    const anonymous = createTaskApiClient(baseUrl);
    const username = uniqueName('client');

    const user: Schemas['UserResponse'] = ok(
      await anonymous.POST('/api/register', { body: { username, password: STRONG_PASSWORD } }),
    );
    expect(user).toMatchObject({ username, role: 'user' });

    const login = bearerTokens(
      ok(await anonymous.POST('/api/login', { body: { username, password: STRONG_PASSWORD } })),
    );
    expect(login.expires_in).toBe(900);
    const client = as(login.access_token);

    const me = ok(await client.GET('/api/me'));
    expect(me.id).toBe(user.id);

    const titles = ['first', 'second', 'third'];
    const created: Array<Schemas['TaskResponse']> = [];
    for (const title of titles) created.push(ok(await client.POST('/api/tasks', { body: { title } })));
    expect(created.map((task) => task.user_id)).toEqual([user.id, user.id, user.id]);

    const page = await client.GET('/api/tasks', { params: { query: { limit: 2, offset: 0 } } });
    expect(ok(page).map((task) => task.title)).toEqual(['first', 'second']);
    expect(page.response.headers.get('X-Total-Count')).toBe('3');
    // Task pages link onwards by key (docs/API.md, 0.8.0): the next page starts after the last id.
    expect(page.response.headers.get('Link')).toBe(`</api/tasks?limit=2&after_id=${ok(page)[1].id}>; rel="next"`);
    const next = await client.GET('/api/tasks', { params: { query: { limit: 2, after_id: ok(page)[1].id } } });
    expect(ok(next).map((task) => task.title)).toEqual(['third']);
    expect(next.response.headers.get('Link')).toBeNull();

    const id = created[0].id;
    const patched = ok(
      await client.PATCH('/api/tasks/{id}', { params: { path: { id } }, body: { done: true, description: 'milk' } }),
    );
    expect(patched).toMatchObject({ id, done: true, description: 'milk' });
    const done = ok(await client.GET('/api/tasks', { params: { query: { done: true } } }));
    expect(done.map((task) => task.id)).toEqual([id]);
    expect(ok(await client.GET('/api/tasks/{id}', { params: { path: { id } } })).title).toBe('first');

    const removed = await client.DELETE('/api/tasks/{id}', { params: { path: { id } } });
    expect(removed.response.status).toBe(204);
    const gone = await client.GET('/api/tasks/{id}', { params: { path: { id } } });
    expect(gone.response.status).toBe(404);
    expect(gone.error?.message).toBe('Task not found');

    const refreshed = bearerTokens(ok(await as(login.refresh_token).POST('/api/refresh')));
    expect(refreshed.refresh_token).not.toBe(login.refresh_token);
    const after = as(refreshed.access_token);
    const sessions = ok(await after.GET('/api/sessions'));
    expect(sessions.filter((s) => s.current)).toHaveLength(1);

    const logout = await after.POST('/api/logout');
    expect(logout.response.status).toBe(204);
    const revoked = await after.GET('/api/me');
    expect(revoked.response.status).toBe(401);
    expect(revoked.error?.message).toBe('Token has been revoked');

    const adminTokens = bearerTokens(
      ok(await anonymous.POST('/api/login', { body: { username: ADMIN.username, password: ADMIN.password } })),
    );
    const admin = as(adminTokens.access_token);
    const product = ok(await admin.POST('/api/products', { body: { name: 'Coffee beans', price: 19.99 } }));
    expect(product).toMatchObject({ name: 'Coffee beans', price: 19.99, description: null });
    const read = ok(await admin.GET('/api/products/{id}', { params: { path: { id: product.id } } }));
    expect(read.price).toBe(19.99);
  });
});
