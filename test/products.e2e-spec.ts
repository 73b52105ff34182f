import { createTestApp, TestApp } from './utils/create-test-app';
import { bearer, loginAs } from './utils/auth';

const PRICE_RULE = 'price must be a multiple of 0.01 (at most 2 decimal places)';

describe('Products (e2e)', () => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof loginAs>>;
  let user: Awaited<ReturnType<typeof loginAs>>;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await loginAs(t, 'admin');
    user = await loginAs(t, 'user');
  });
  afterAll(() => t.close());

  const create = (body: Record<string, unknown>, token = admin.access_token) =>
    t.http().post('/api/products').set(bearer(token)).send(body);

  it('an admin adds {"name": "Laptop", "price": 999.99} and a user lists and reads it', async () => {
    const res = await create({ name: 'Laptop', price: 999.99 }).expect(201);
    expect(res.body).toEqual({
      id: expect.any(Number),
      name: 'Laptop',
      description: null,
      price: 999.99,
      created_at: expect.any(String),
      updated_at: expect.any(String),
      version: 1,
    });
    const list = await t.http().get('/api/products?limit=100').set(bearer(user.access_token)).expect(200);
    expect(list.body).toContainEqual(res.body);
    const one = await t.http().get(`/api/products/${res.body.id}`).set(bearer(user.access_token)).expect(200);
    expect(one.body).toEqual(res.body);
  });

  it('a user trying to add a product gets 403 and nothing is stored', async () => {
    const before = await t.http().get('/api/products').set(bearer(user.access_token));
    const res = await create({ name: 'Sneaky', price: 1 }, user.access_token);
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ statusCode: 403, error: 'Forbidden', message: 'Admin access required' });
    const after = await t.http().get('/api/products').set(bearer(user.access_token));
    expect(after.headers['x-total-count']).toBe(before.headers['x-total-count']);
  });

  it('an anonymous caller gets 401 on every product route', async () => {
    for (const req of [
      t.http().get('/api/products'),
      t.http().get('/api/products/1'),
      t.http().post('/api/products').send({ name: 'x', price: 1 }),
    ]) {
      const res = await req;
      expect(res.status).toBe(401);
      expect(res.body.message).toBe('Missing Authorization Header');
    }
  });

  describe('price is exact money', () => {
    it.each([
      [0.1],
      [0.2],
      [0.3],
      [19.99],
      [4.35],
      [1.15],
      [999.99],
      [0],
      [1_000_000_000],
      [1_000_000_000 - 0.01],
      [123456789.12],
    ])('round-trips %p exactly', async (price) => {
      const res = await create({ name: 'Priced', price }).expect(201);
      expect(res.body.price).toBe(price);
      const read = await t.http().get(`/api/products/${res.body.id}`).set(bearer(user.access_token)).expect(200);
      expect(read.body.price).toBe(price);
      expect(JSON.stringify(read.body)).toContain(`"price":${JSON.stringify(price)}`);
    });

    it('keeps 0.1 and 0.2 apart from floating-point drift: 0.1 + 0.2 is refused, never stored as 0.30000000000000004', async () => {
      const res = await create({ name: 'Drift', price: 0.1 + 0.2 });
      expect(res.status).toBe(400);
      expect(res.body.message).toEqual([PRICE_RULE]);
      const a = await create({ name: 'A', price: 0.1 }).expect(201);
      const b = await create({ name: 'B', price: 0.2 }).expect(201);
      const patched = await t
        .http()
        .patch(`/api/products/${a.body.id}`)
        .set(bearer(admin.access_token))
        .send({ price: 0.3 })
        .expect(200);
      expect(patched.body.price).toBe(0.3);
      const both = await t.http().get(`/api/products/${b.body.id}`).set(bearer(user.access_token)).expect(200);
      expect(both.body.price).toBe(0.2);
    });

    it.each([
      ['three decimals', 1.005],
      ['negative', -0.01],
      ['over a billion', 1_000_000_000.01],
      ['a string', '9.99'],
      ['null', null],
      ['a boolean', true],
      ['an exponent beyond range', 1e12],
    ])('refuses a price that is %s with 400', async (_label, price) => {
      const res = await create({ name: 'Bad price', price });
      expect(res.status).toBe(400);
      expect(res.body.message.every((m: string) => m.startsWith('price '))).toBe(true);
    });

    it.each([
      ['1e-7', '1e-7'],
      ['5e-324', '5e-324'],
      ['three decimals', '1.005'],
      ['0.1 + 0.2', '0.30000000000000004'],
    ])('refuses %s on POST and on PATCH with 400 naming the two-decimal rule', async (_label, raw) => {
      // Sent as raw JSON so the number reaches the server exactly as written.
      const posted = await t
        .http()
        .post('/api/products')
        .set(bearer(admin.access_token))
        .set('Content-Type', 'application/json')
        .send(`{"name":"Tiny","price":${raw}}`);
      expect({ status: posted.status, message: posted.body.message }).toEqual({ status: 400, message: [PRICE_RULE] });
      const product = await create({ name: 'To patch', price: 1 }).expect(201);
      const patched = await t
        .http()
        .patch(`/api/products/${product.body.id}`)
        .set(bearer(admin.access_token))
        .set('Content-Type', 'application/json')
        .send(`{"price":${raw}}`);
      expect({ status: patched.status, message: patched.body.message }).toEqual({ status: 400, message: [PRICE_RULE] });
      const read = await t.http().get(`/api/products/${product.body.id}`).set(bearer(user.access_token)).expect(200);
      expect(read.body.price).toBe(1);
    });
  });

  describe('validation', () => {
    it.each([
      ['an empty name', { name: '', price: 1 }, 'name must be longer than or equal to 1 characters'],
      [
        'a name of 201 characters',
        { name: 'n'.repeat(201), price: 1 },
        'name must be shorter than or equal to 200 characters',
      ],
      [
        'a description of 2,001 characters',
        { name: 'n', price: 1, description: 'd'.repeat(2001) },
        'description must be shorter than or equal to 2000 characters',
      ],
      ['no price', { name: 'n' }, expect.stringMatching(/^price /)],
      ['an unknown field id', { name: 'n', price: 1, id: 5 }, 'property id should not exist'],
      ['an unknown field owner', { name: 'n', price: 1, owner: 'me' }, 'property owner should not exist'],
    ])('refuses %s with 400', async (_label, body, message) => {
      const res = await create(body);
      expect(res.status).toBe(400);
      expect(res.body.message).toContainEqual(message);
    });

    it('accepts exactly 200 and 2,000 characters', async () => {
      await create({ name: 'n'.repeat(200), price: 1, description: 'd'.repeat(2000) }).expect(201);
    });

    it.each([['abc'], ['1.5'], ['-1'], ['0'], ['1e3'], ['2147483648']])('is 400 for the id %s', async (id) => {
      const res = await t.http().get(`/api/products/${id}`).set(bearer(user.access_token));
      expect(res.status).toBe(400);
    });
  });

  describe('PATCH and DELETE', () => {
    it('an admin updates any of the fields and clears the description with null', async () => {
      const made = await create({ name: 'Desk', price: 120, description: 'oak' }).expect(201);
      const res = await t
        .http()
        .patch(`/api/products/${made.body.id}`)
        .set(bearer(admin.access_token))
        .send({ name: 'Standing desk', description: null });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        id: made.body.id,
        name: 'Standing desk',
        price: 120,
        description: null,
        created_at: made.body.created_at,
      });
    });

    it.each([
      ['an empty body', {}, 'Body must set at least one field'],
      ['a null name', { name: null }, expect.stringMatching(/^name /)],
      ['a null price', { price: null }, expect.stringMatching(/^price /)],
      ['an unknown field', { stock: 3 }, 'property stock should not exist'],
    ])('refuses %s with 400 and changes nothing', async (_label, body, message) => {
      const made = await create({ name: 'Chair', price: 45.5 }).expect(201);
      const res = await t.http().patch(`/api/products/${made.body.id}`).set(bearer(admin.access_token)).send(body);
      expect(res.status).toBe(400);
      expect([res.body.message].flat()).toContainEqual(message);
      const read = await t.http().get(`/api/products/${made.body.id}`).set(bearer(user.access_token));
      expect(read.body).toEqual(made.body);
    });

    it('a user cannot update or delete a product (403), which stays as it was', async () => {
      const made = await create({ name: 'Lamp', price: 30 }).expect(201);
      const patch = await t
        .http()
        .patch(`/api/products/${made.body.id}`)
        .set(bearer(user.access_token))
        .send({ price: 0 });
      expect(patch.status).toBe(403);
      const del = await t.http().delete(`/api/products/${made.body.id}`).set(bearer(user.access_token));
      expect(del.status).toBe(403);
      const read = await t.http().get(`/api/products/${made.body.id}`).set(bearer(user.access_token));
      expect(read.body).toEqual(made.body);
    });

    it('an admin deletes a product: 204, then 404', async () => {
      const made = await create({ name: 'Old', price: 1 }).expect(201);
      await t.http().delete(`/api/products/${made.body.id}`).set(bearer(admin.access_token)).expect(204);
      const res = await t.http().get(`/api/products/${made.body.id}`).set(bearer(user.access_token));
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ statusCode: 404, error: 'Not Found', message: 'Product not found' });
      await t.http().delete(`/api/products/${made.body.id}`).set(bearer(admin.access_token)).expect(404);
      await t
        .http()
        .patch(`/api/products/${made.body.id}`)
        .set(bearer(admin.access_token))
        .send({ price: 2 })
        .expect(404);
    });
  });
});
