import { createTestApp, TestApp } from './utils/create-test-app';
import { bearer, loginAs } from './utils/auth';

/** ETag, If-Match and If-None-Match on tasks and products (RFC 9110 §13). */
describe('Conditional requests (e2e)', () => {
  let t: TestApp;
  let alice: Awaited<ReturnType<typeof loginAs>>;
  let bob: Awaited<ReturnType<typeof loginAs>>;
  let admin: Awaited<ReturnType<typeof loginAs>>;

  beforeAll(async () => {
    t = await createTestApp();
    alice = await loginAs(t, 'user');
    bob = await loginAs(t, 'user');
    admin = await loginAs(t, 'admin');
  });
  afterAll(() => t.close());

  const newTask = async (title = 'Versioned') =>
    (await t.http().post('/api/tasks').set(bearer(alice.access_token)).send({ title }).expect(201)) as {
      body: { id: number; version: number };
      headers: Record<string, string>;
    };

  it('a created task is version 1 with a strong ETag, and each write moves both on', async () => {
    const created = await newTask();
    expect(created.body.version).toBe(1);
    expect(created.headers.etag).toBe('"1"');
    const read = await t.http().get(`/api/tasks/${created.body.id}`).set(bearer(alice.access_token)).expect(200);
    expect(read.headers.etag).toBe('"1"');
    const patched = await t
      .http()
      .patch(`/api/tasks/${created.body.id}`)
      .set(bearer(alice.access_token))
      .send({ done: true })
      .expect(200);
    expect(patched.body).toMatchObject({ done: true, version: 2 });
    expect(patched.headers.etag).toBe('"2"');
    const list = await t.http().get('/api/tasks').set(bearer(alice.access_token)).expect(200);
    expect(list.body).toContainEqual(patched.body);
    expect(list.headers.etag).toBeUndefined();
  });

  it('PATCH with the current If-Match writes; with a stale one it is 412 and changes nothing', async () => {
    const { body: task } = await newTask('Edit me');
    const url = `/api/tasks/${task.id}`;
    await t
      .http()
      .patch(url)
      .set(bearer(alice.access_token))
      .set('If-Match', '"1"')
      .send({ title: 'First' })
      .expect(200);
    const stale = await t
      .http()
      .patch(url)
      .set(bearer(alice.access_token))
      .set('If-Match', '"1"')
      .send({ title: 'Second' });
    expect(stale.status).toBe(412);
    expect(stale.body).toEqual({
      statusCode: 412,
      error: 'Precondition Failed',
      message: 'If-Match does not match the current ETag: the resource has changed',
    });
    const now = await t.http().get(url).set(bearer(alice.access_token)).expect(200);
    expect(now.body).toMatchObject({ title: 'First', version: 2 });
    // A list naming the current tag, and `*`, both match.
    await t
      .http()
      .patch(url)
      .set(bearer(alice.access_token))
      .set('If-Match', '"7", "2"')
      .send({ done: true })
      .expect(200);
    await t.http().patch(url).set(bearer(alice.access_token)).set('If-Match', '*').send({ done: false }).expect(200);
  });

  it('If-Match compares strongly: a weak tag or a tag never issued matches nothing', async () => {
    const { body: task } = await newTask();
    for (const tag of ['W/"1"', '"abc"', '"0"']) {
      const res = await t
        .http()
        .patch(`/api/tasks/${task.id}`)
        .set(bearer(alice.access_token))
        .set('If-Match', tag)
        .send({ done: true });
      expect(res.status).toBe(412);
    }
  });

  it('a malformed If-Match or If-None-Match is 400 and writes nothing', async () => {
    const { body: task } = await newTask();
    const patch = await t
      .http()
      .patch(`/api/tasks/${task.id}`)
      .set(bearer(alice.access_token))
      .set('If-Match', '1')
      .send({ done: true });
    expect(patch.status).toBe(400);
    expect(patch.body.message).toBe('If-Match must be "*" or a list of entity tags such as "3"');
    const get = await t
      .http()
      .get(`/api/tasks/${task.id}`)
      .set(bearer(alice.access_token))
      .set('If-None-Match', 'nope');
    expect(get.status).toBe(400);
    const now = await t.http().get(`/api/tasks/${task.id}`).set(bearer(alice.access_token)).expect(200);
    expect(now.body.version).toBe(1);
  });

  it('DELETE with a stale If-Match is 412 and the task stays; with the current one it goes', async () => {
    const { body: task } = await newTask();
    const url = `/api/tasks/${task.id}`;
    await t.http().patch(url).set(bearer(alice.access_token)).send({ done: true }).expect(200);
    const stale = await t.http().delete(url).set(bearer(alice.access_token)).set('If-Match', '"1"');
    expect(stale.status).toBe(412);
    await t.http().get(url).set(bearer(alice.access_token)).expect(200);
    await t.http().delete(url).set(bearer(alice.access_token)).set('If-Match', '"2"').expect(204);
    await t.http().get(url).set(bearer(alice.access_token)).expect(404);
  });

  it('someone else’s task is 404 whatever the If-Match, never 412', async () => {
    const { body: task } = await newTask();
    for (const tag of ['"1"', '"9"', '*']) {
      const res = await t
        .http()
        .patch(`/api/tasks/${task.id}`)
        .set(bearer(bob.access_token))
        .set('If-Match', tag)
        .send({ done: true });
      expect(res.status).toBe(404);
      const del = await t.http().delete(`/api/tasks/${task.id}`).set(bearer(bob.access_token)).set('If-Match', tag);
      expect(del.status).toBe(404);
    }
  });

  it('GET with If-None-Match of the current tag is 304 with no body; after a change it is 200 again', async () => {
    const { body: task } = await newTask();
    const url = `/api/tasks/${task.id}`;
    const hit = await t.http().get(url).set(bearer(alice.access_token)).set('If-None-Match', '"1"');
    expect(hit.status).toBe(304);
    expect(hit.headers.etag).toBe('"1"');
    expect(hit.text ?? '').toBe('');
    const any = await t.http().get(url).set(bearer(alice.access_token)).set('If-None-Match', '*');
    expect(any.status).toBe(304);
    await t.http().patch(url).set(bearer(alice.access_token)).send({ done: true }).expect(200);
    const miss = await t.http().get(url).set(bearer(alice.access_token)).set('If-None-Match', '"1"').expect(200);
    expect(miss.body.version).toBe(2);
    expect(miss.headers.etag).toBe('"2"');
    // If-None-Match uses the weak comparison: W/"2" names the same version.
    await t.http().get(url).set(bearer(alice.access_token)).set('If-None-Match', 'W/"2"').expect(304);
  });

  it('of 10 clients patching one task concurrently with the same If-Match, exactly one wins', async () => {
    const { body: task } = await newTask('Race');
    const url = `/api/tasks/${task.id}`;
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        t
          .http()
          .patch(url)
          .set(bearer(alice.access_token))
          .set('If-Match', '"1"')
          .send({ title: `writer ${i}` }),
      ),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([200, ...Array(9).fill(412)]);
    const winner = answers.find((a) => a.status === 200)!;
    const now = await t.http().get(url).set(bearer(alice.access_token)).expect(200);
    expect(now.body).toEqual(winner.body);
    expect(now.body.version).toBe(2);
  });

  it('products carry versions too: ETag, 304, and 412 for an admin with a stale copy', async () => {
    const created = await t
      .http()
      .post('/api/products')
      .set(bearer(admin.access_token))
      .send({ name: 'Lamp', price: 19.99 })
      .expect(201);
    expect(created.body.version).toBe(1);
    expect(created.headers.etag).toBe('"1"');
    const url = `/api/products/${created.body.id}`;
    await t.http().get(url).set(bearer(alice.access_token)).set('If-None-Match', '"1"').expect(304);
    await t.http().patch(url).set(bearer(admin.access_token)).set('If-Match', '"1"').send({ price: 24.5 }).expect(200);
    const stale = await t.http().patch(url).set(bearer(admin.access_token)).set('If-Match', '"1"').send({ price: 1 });
    expect(stale.status).toBe(412);
    await t.http().delete(url).set(bearer(admin.access_token)).set('If-Match', '"1"').expect(412);
    const now = await t.http().get(url).set(bearer(alice.access_token)).expect(200);
    expect(now.body).toMatchObject({ price: 24.5, version: 2 });
    await t.http().delete(url).set(bearer(admin.access_token)).set('If-Match', '"2"').expect(204);
  });
});
