import { buildOpenApi } from 'src/docs/openapi';
import { createTestApp, TestApp } from './utils/create-test-app';
import { OpenApiValidator } from './utils/openapi-validator';

/** The harness's check of every answer against the document catches each kind of drift. */
describe('Answers are checked against the OpenAPI document (e2e)', () => {
  let t: TestApp;
  let validator: OpenApiValidator;
  beforeAll(async () => {
    t = await createTestApp();
    validator = new OpenApiValidator(buildOpenApi(t.app));
  });
  afterAll(() => t.close());

  const json = { 'content-type': 'application/json; charset=utf-8' };
  const task = {
    id: 1,
    title: 'A',
    description: null,
    done: false,
    user_id: 1,
    created_at: '2026-01-01T00:00:00.000Z',
    updated_at: '2026-01-01T00:00:00.000Z',
    version: 1,
  };
  const get = (over: Partial<Parameters<OpenApiValidator['problems']>[0]>) =>
    validator.problems({
      method: 'GET',
      url: '/api/tasks/1',
      status: 200,
      headers: json,
      body: JSON.stringify(task),
      ...over,
    });

  it('passes an answer that matches', () => {
    expect(get({})).toEqual([]);
  });

  it('refuses an undeclared status, a stray field, a wrong type and a missing field', () => {
    expect(get({ status: 500 })).toEqual([expect.stringContaining('status 500 is not declared')]);
    expect(get({ body: JSON.stringify({ ...task, password_hash: 'x' }) })).toEqual([
      expect.stringContaining('must NOT have additional properties'),
    ]);
    expect(get({ body: JSON.stringify({ ...task, id: 1.5 }) })).toEqual([
      expect.stringContaining('/id must be integer'),
    ]);
    const untitled: Partial<typeof task> = { ...task };
    delete untitled.title;
    expect(get({ body: JSON.stringify(untitled) })).toEqual([
      expect.stringContaining("must have required property 'title'"),
    ]);
  });

  it('refuses undeclared headers, a list without X-Total-Count, and a body on a 204', () => {
    expect(get({ headers: { ...json, 'x-secret': '1' } })).toEqual(['header x-secret is not declared']);
    expect(get({ url: '/api/tasks', body: JSON.stringify([task]) })).toEqual([
      'header x-total-count is required but absent',
    ]);
    expect(
      get({ url: '/api/tasks', body: JSON.stringify([task]), headers: { ...json, 'x-total-count': 'many' } }),
    ).toEqual([expect.stringMatching(/^header x-total-count "many" value must be integer/)]);
    expect(validator.problems({ method: 'DELETE', url: '/api/tasks/1', status: 204, headers: {}, body: '{}' })).toEqual(
      [expect.stringContaining('a body where the document declares none')],
    );
  });

  it('takes a 405 with Allow on a known path, and refuses a 404 body outside the error shape', () => {
    const error = JSON.stringify({ statusCode: 405, error: 'Method Not Allowed', message: 'no' });
    expect(get({ method: 'PUT', status: 405, body: error, headers: { ...json, allow: 'GET' } })).toEqual([]);
    expect(get({ method: 'PUT', status: 405, body: error })).toEqual(['a 405 without an Allow header']);
    expect(get({ url: '/api/nothing', status: 404, body: JSON.stringify({ oops: true }) }).length).toBeGreaterThan(0);
  });

  it('fails the request that got a non-conforming answer, naming route, status and mismatch', async () => {
    // A real answer the document cannot describe (an undeclared header): the harness must fail that request.
    const drifting = await createTestApp(
      {},
      {
        setup: (app) => {
          app
            .getHttpAdapter()
            .getInstance()
            .addHook('onSend', (req, reply, payload, done) => {
              if (req.headers['x-test-drift']) void reply.header('X-Drift', 'yes');
              done(null, payload);
            });
        },
      },
    );
    try {
      await drifting.http().get('/api/health').expect(200);
      await expect(drifting.http().get('/api/health').set('X-Test-Drift', '1')).rejects.toThrow(
        /GET \/api\/health \(200\) does not match the OpenAPI document:\n {2}- header x-drift is not declared/,
      );
    } finally {
      await drifting.close();
    }
  });
});
