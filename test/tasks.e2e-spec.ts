import { getRepositoryToken } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Task } from 'src/tasks/task.entity';
import { createTestApp, TestApp } from './utils/create-test-app';
import { bearer, loginAs } from './utils/auth';

describe('Tasks (e2e)', () => {
  let t: TestApp;
  let alice: Awaited<ReturnType<typeof loginAs>>;
  let bob: Awaited<ReturnType<typeof loginAs>>;

  beforeAll(async () => {
    t = await createTestApp();
    alice = await loginAs(t, 'user');
    bob = await loginAs(t, 'user');
  });
  afterAll(() => t.close());

  const create = (token: string, body: Record<string, unknown>) =>
    t.http().post('/api/tasks').set(bearer(token)).send(body);

  it('a user creates {"title": "Write report"} and lists only their own tasks', async () => {
    const res = await create(alice.access_token, { title: 'Write report' }).expect(201);
    expect(res.body).toEqual({
      id: expect.any(Number),
      title: 'Write report',
      description: null,
      done: false,
      user_id: alice.id,
      created_at: expect.any(String),
      updated_at: expect.any(String),
      version: 1,
    });
    await create(bob.access_token, { title: "Bob's task" }).expect(201);
    const list = await t.http().get('/api/tasks').set(bearer(alice.access_token)).expect(200);
    expect(list.body).toEqual([res.body]);
    expect(list.headers['x-total-count']).toBe('1');
  });

  it('another user gets 404 for it and cannot change or delete it', async () => {
    const task = (await create(alice.access_token, { title: 'Private', description: 'mine' }).expect(201)).body;
    const missing = await t.http().get('/api/tasks/2147483647').set(bearer(bob.access_token));
    for (const res of [
      await t.http().get(`/api/tasks/${task.id}`).set(bearer(bob.access_token)),
      await t.http().patch(`/api/tasks/${task.id}`).set(bearer(bob.access_token)).send({ done: true }),
      await t.http().delete(`/api/tasks/${task.id}`).set(bearer(bob.access_token)),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body).toEqual(missing.body);
      expect(res.body).toEqual({ statusCode: 404, error: 'Not Found', message: 'Task not found' });
    }
    const still = await t.http().get(`/api/tasks/${task.id}`).set(bearer(alice.access_token)).expect(200);
    expect(still.body).toEqual(task);
  });

  it('an admin has no access to other users’ tasks either', async () => {
    const admin = await loginAs(t, 'admin');
    const task = (await create(alice.access_token, { title: 'Not for admins' }).expect(201)).body;
    await t.http().get(`/api/tasks/${task.id}`).set(bearer(admin.access_token)).expect(404);
  });

  it.each([
    ['user_id', 999],
    ['id', 1],
    ['owner', 'bob'],
    ['created_at', '2020-01-01'],
  ])('refuses the unknown field %s with 400 and stores nothing', async (field, value) => {
    const before = await t.http().get('/api/tasks').set(bearer(bob.access_token));
    const res = await create(bob.access_token, { title: 'Smuggle', [field]: value });
    expect(res.status).toBe(400);
    expect(res.body.message).toEqual([`property ${field} should not exist`]);
    const after = await t.http().get('/api/tasks').set(bearer(bob.access_token));
    expect(after.headers['x-total-count']).toBe(before.headers['x-total-count']);
  });

  it('the owner updates, marks done and deletes', async () => {
    const task = (await create(alice.access_token, { title: 'Draft', description: 'first' }).expect(201)).body;
    const res = await t
      .http()
      .patch(`/api/tasks/${task.id}`)
      .set(bearer(alice.access_token))
      .send({ done: true, description: null });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: task.id,
      title: 'Draft',
      description: null,
      done: true,
      user_id: alice.id,
      created_at: task.created_at,
    });
    await t.http().delete(`/api/tasks/${task.id}`).set(bearer(alice.access_token)).expect(204);
    await t.http().get(`/api/tasks/${task.id}`).set(bearer(alice.access_token)).expect(404);
  });

  it.each([
    ['an empty title', { title: '' }],
    ['a title of 201 characters', { title: 't'.repeat(201) }],
    ['a description of 2,001 characters', { title: 't', description: 'd'.repeat(2001) }],
    ['done as a string', { title: 't', done: 'yes' }],
    ['no title', { description: 'x' }],
  ])('refuses %s with 400', async (_label, body) => {
    const res = await create(alice.access_token, body);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ statusCode: 400, error: 'Bad Request', message: expect.any(Array) });
  });

  it.each([
    ['an empty body', {}],
    ['a null title', { title: null }],
    ['a null done', { done: null }],
    ['user_id', { user_id: 2 }],
  ])('refuses a PATCH with %s (400) and leaves the task as it was', async (_label, body) => {
    const task = (await create(alice.access_token, { title: 'Keep me' }).expect(201)).body;
    const res = await t.http().patch(`/api/tasks/${task.id}`).set(bearer(alice.access_token)).send(body);
    expect(res.status).toBe(400);
    expect((await t.http().get(`/api/tasks/${task.id}`).set(bearer(alice.access_token))).body).toEqual(task);
  });

  it.each([['abc'], ['1.5'], ['-1'], ['0'], ['1e3']])('is 400 for the id %s', async (id) => {
    expect((await t.http().get(`/api/tasks/${id}`).set(bearer(alice.access_token))).status).toBe(400);
  });

  describe('listing', () => {
    let carol: Awaited<ReturnType<typeof loginAs>>;
    let ids: number[];
    beforeAll(async () => {
      carol = await loginAs(t, 'user');
      ids = [];
      for (let i = 0; i < 7; i++) {
        ids.push((await create(carol.access_token, { title: `Task ${i}`, done: i % 3 === 0 }).expect(201)).body.id);
      }
    });
    const list = (query: string) => t.http().get(`/api/tasks${query}`).set(bearer(carol.access_token));

    it('filters with ?done=true and ?done=false', async () => {
      const done = await list('?done=true').expect(200);
      expect(done.body.map((x: { id: number }) => x.id)).toEqual([ids[0], ids[3], ids[6]]);
      expect(done.headers['x-total-count']).toBe('3');
      const open = await list('?done=false').expect(200);
      expect(open.body.map((x: { id: number }) => x.id)).toEqual([ids[1], ids[2], ids[4], ids[5]]);
    });

    it('pages in id order with X-Total-Count and Link, keeping the filter in the links', async () => {
      const first = await list('?limit=3').expect(200);
      expect(first.body.map((x: { id: number }) => x.id)).toEqual(ids.slice(0, 3));
      expect(first.headers['x-total-count']).toBe('7');
      expect(first.headers.link).toBe('</api/tasks?limit=3&offset=3>; rel="next"');
      const second = await list('?limit=3&offset=3').expect(200);
      expect(second.body.map((x: { id: number }) => x.id)).toEqual(ids.slice(3, 6));
      expect(second.headers.link).toBe(
        '</api/tasks?limit=3&offset=6>; rel="next", </api/tasks?limit=3&offset=0>; rel="prev"',
      );
      const last = await list('?limit=3&offset=6').expect(200);
      expect(last.body.map((x: { id: number }) => x.id)).toEqual(ids.slice(6));
      expect(last.headers.link).toBe('</api/tasks?limit=3&offset=3>; rel="prev"');
      const filtered = await list('?done=false&limit=2').expect(200);
      expect(filtered.headers.link).toBe('</api/tasks?done=false&limit=2&offset=2>; rel="next"');
      const beyond = await list('?offset=100').expect(200);
      expect(beyond.body).toEqual([]);
      expect(beyond.headers['x-total-count']).toBe('7');
    });

    it('defaults to 50 and allows up to 100', async () => {
      await list('?limit=100').expect(200);
      await list('?limit=1').expect(200);
    });

    it.each([
      ['?limit=0'],
      ['?limit=101'],
      ['?offset=-1'],
      ['?limit=-5'],
      ['?done=yes'],
      ['?done=1'],
      ['?limit=abc'],
      ['?user_id=1'],
    ])('rejects %s with 400', async (query) => {
      const res = await list(query);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ statusCode: 400, error: 'Bad Request', message: expect.any(Array) });
    });
  });

  it('50 concurrent task creations by one user all succeed', async () => {
    const dave = await loginAs(t, 'user');
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => create(dave.access_token, { title: `Parallel ${i}` })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(50).fill(201));
    const list = await t.http().get('/api/tasks?limit=100').set(bearer(dave.access_token)).expect(200);
    expect(list.body).toHaveLength(50);
  });

  it('deleting a user deletes their tasks', async () => {
    const erin = await loginAs(t, 'user');
    const task = (await create(erin.access_token, { title: 'Goes with me' }).expect(201)).body;
    const admin = await loginAs(t, 'admin');
    await t.http().delete(`/api/users/${erin.id}`).set(bearer(admin.access_token)).expect(204);
    const tasks = t.app.get<Repository<Task>>(getRepositoryToken(Task));
    expect(await tasks.countBy({ userId: erin.id })).toBe(0);
    expect(await tasks.countBy({ id: task.id })).toBe(0);
    expect(task.user_id).toBe(erin.id);
  });
});
