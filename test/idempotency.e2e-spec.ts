import { getRepositoryToken } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { IdempotencyKey } from 'src/idempotency/idempotency-key.entity';
import { IDEMPOTENCY_LEASE_MS, IDEMPOTENCY_WINDOW_MS, IdempotencyService } from 'src/idempotency/idempotency.service';
import { createTestApp, TestApp } from './utils/create-test-app';
import { bearer, loginAs } from './utils/auth';

/** Idempotency-Key on creates (draft-ietf-httpapi-idempotency-key-header). */
describe('Idempotent creates (e2e)', () => {
  let t: TestApp;
  let alice: Awaited<ReturnType<typeof loginAs>>;
  let bob: Awaited<ReturnType<typeof loginAs>>;
  let admin: Awaited<ReturnType<typeof loginAs>>;
  let keys: Repository<IdempotencyKey>;
  let n = 0;
  const freshKey = () => `key-${Date.now()}-${++n}`;

  beforeAll(async () => {
    t = await createTestApp();
    alice = await loginAs(t, 'user');
    bob = await loginAs(t, 'user');
    admin = await loginAs(t, 'admin');
    keys = t.app.get(getRepositoryToken(IdempotencyKey));
  });
  afterAll(() => t.close());

  const createTask = (token: string, key: string | undefined, body: Record<string, unknown>) => {
    const req = t.http().post('/api/tasks').set(bearer(token));
    if (key !== undefined) req.set('Idempotency-Key', key);
    return req.send(body);
  };
  const count = async (token: string) =>
    Number((await t.http().get('/api/tasks?limit=1').set(bearer(token)).expect(200)).headers['x-total-count']);

  it('a retry with the same key and body replays the first 201 and creates nothing', async () => {
    const key = freshKey();
    const before = await count(alice.access_token);
    const first = await createTask(alice.access_token, key, { title: 'Pay rent', done: false }).expect(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    // The same JSON in another key order and spacing is the same request.
    const again = await t
      .http()
      .post('/api/tasks')
      .set(bearer(alice.access_token))
      .set('Idempotency-Key', key)
      .set('Content-Type', 'application/json')
      .send('{ "done": false,   "title": "Pay rent" }')
      .expect(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.headers.etag).toBe('"1"');
    expect(await count(alice.access_token)).toBe(before + 1);
  });

  it('the replay is the original answer even after the task changed', async () => {
    const key = freshKey();
    const first = await createTask(alice.access_token, key, { title: 'Original' }).expect(201);
    await t
      .http()
      .patch(`/api/tasks/${first.body.id}`)
      .set(bearer(alice.access_token))
      .send({ title: 'Edited' })
      .expect(200);
    const again = await createTask(alice.access_token, key, { title: 'Original' }).expect(201);
    expect(again.body).toEqual(first.body);
  });

  it('the same key with a different body is 422 and creates nothing', async () => {
    const key = freshKey();
    await createTask(alice.access_token, key, { title: 'One' }).expect(201);
    const before = await count(alice.access_token);
    const res = await createTask(alice.access_token, key, { title: 'Two' });
    expect(res.status).toBe(422);
    expect(res.body).toEqual({
      statusCode: 422,
      error: 'Unprocessable Entity',
      message: 'This Idempotency-Key was used with a different request body',
    });
    expect(await count(alice.access_token)).toBe(before);
  });

  it('keys are per caller: another user with the same key gets a task of their own', async () => {
    const key = freshKey();
    const mine = await createTask(alice.access_token, key, { title: 'Same key' }).expect(201);
    const theirs = await createTask(bob.access_token, key, { title: 'Same key' }).expect(201);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
    expect(theirs.body.id).not.toBe(mine.body.id);
    expect(theirs.body.user_id).toBe(bob.id);
  });

  it('20 concurrent creates with one key make one task; the others replay it or are told it is in progress', async () => {
    const key = freshKey();
    const before = await count(alice.access_token);
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => createTask(alice.access_token, key, { title: 'Only once' })),
    );
    expect(await count(alice.access_token)).toBe(before + 1);
    const created = answers.filter((a) => a.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    for (const a of created) expect(a.body).toEqual(created[0].body);
    for (const a of answers.filter((x) => x.status !== 201)) {
      expect(a.status).toBe(409);
      expect(a.body.message).toBe('A request with this Idempotency-Key is still being processed');
      expect(a.headers['retry-after']).toBe('1');
    }
    // After the race every retry replays the one task.
    const retry = await createTask(alice.access_token, key, { title: 'Only once' }).expect(201);
    expect(retry.body).toEqual(created[0].body);
  });

  it('a create that fails keeps no record, so the same key may be retried', async () => {
    const key = freshKey();
    const bad = await createTask(alice.access_token, key, { title: '' });
    expect(bad.status).toBe(400);
    expect(await keys.countBy({ key })).toBe(0);
    // The same (invalid) body again is validated again, not replayed.
    await createTask(alice.access_token, key, { title: '' }).expect(400);
    // And since nothing was kept, the key is free for a valid body.
    await createTask(alice.access_token, key, { title: 'Fixed' }).expect(201);
  });

  it('an invalid key is 400 and creates nothing', async () => {
    const before = await count(alice.access_token);
    let tried = 0;
    for (const key of ['', 'x'.repeat(256), 'caf\u00e9', 'tab\there']) {
      const req = t.http().post('/api/tasks').set(bearer(alice.access_token));
      // superagent refuses to send some header values itself; set what it accepts.
      try {
        req.set('Idempotency-Key', key);
      } catch {
        continue;
      }
      const res = await req.send({ title: 'Bad key' });
      tried++;
      expect(res.status).toBe(400);
      expect(res.body.message).toBe('Idempotency-Key must be 1 to 255 printable ASCII characters');
    }
    expect(tried).toBeGreaterThanOrEqual(3);
    expect(await count(alice.access_token)).toBe(before);
  });

  it('products: an admin retrying a create gets the one product back', async () => {
    const key = freshKey();
    const body = { name: `Desk ${key}`, price: 199.99 };
    const first = await t
      .http()
      .post('/api/products')
      .set(bearer(admin.access_token))
      .set('Idempotency-Key', key)
      .send(body)
      .expect(201);
    const again = await t
      .http()
      .post('/api/products')
      .set(bearer(admin.access_token))
      .set('Idempotency-Key', key)
      .send(body)
      .expect(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    const list = await t.http().get('/api/products?limit=100').set(bearer(admin.access_token)).expect(200);
    expect(list.body.filter((p: { name: string }) => p.name === body.name)).toHaveLength(1);
    // A task create with the same key is another route, so another record.
    await createTask(admin.access_token, key, body).expect(400);
  });

  it('a key still claimed by a request that died is taken over after its lease; past 24 h a key is new again', async () => {
    const service = t.app.get(IdempotencyService);
    const key = freshKey();
    const first = await createTask(alice.access_token, key, { title: 'Leased' }).expect(201);
    // As if the process died before recording the answer, long ago.
    await keys.update({ key }, { statusCode: null, responseBody: null });
    await createTask(alice.access_token, key, { title: 'Leased' }).expect(409);
    await keys.update({ key }, { createdAt: new Date(Date.now() - IDEMPOTENCY_LEASE_MS - 5_000) });
    const taken = await createTask(alice.access_token, key, { title: 'Leased' }).expect(201);
    expect(taken.body.id).not.toBe(first.body.id);
    // Past the window the record is pruned, and the key makes a new task.
    await keys.update({ key }, { createdAt: new Date(Date.now() - IDEMPOTENCY_WINDOW_MS - 5_000) });
    expect(await service.prune()).toBeGreaterThanOrEqual(1);
    expect(await keys.countBy({ key })).toBe(0);
    const fresh = await createTask(alice.access_token, key, { title: 'Leased' }).expect(201);
    expect(fresh.body.id).not.toBe(taken.body.id);
  });
});
