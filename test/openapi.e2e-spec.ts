import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestApp, TestApp } from './utils/create-test-app';

/**
 * Routes the document need not list: the documentation itself, and GET /metrics, the
 * operators' Prometheus endpoint outside the API (README, "Metrics and logs").
 */
const DOCS = /^\/(api\/docs|metrics$)/;

describe('OpenAPI document (e2e)', () => {
  let t: TestApp;
  let doc: {
    info: { version: string };
    paths: Record<
      string,
      Record<string, { security?: Array<Record<string, string[]>>; responses: Record<string, unknown> }>
    >;
    components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
  };
  beforeAll(async () => {
    t = await createTestApp();
    doc = (await t.http().get('/api/docs-json').expect(200)).body;
  });
  afterAll(() => t.close());

  const PUBLIC = new Set([
    'POST /api/register',
    'POST /api/login',
    'GET /.well-known/jwks.json',
    'GET /api/health',
    'GET /api/health/ready',
  ]);

  it('documents every registered route with its security requirement', () => {
    const registered = t.routes.filter((r) => !DOCS.test(r.url));
    expect(registered.length).toBeGreaterThan(20);
    for (const { method, url } of registered) {
      const path = url.replace(/:(\w+)/g, '{$1}');
      const operation = doc.paths[path]?.[method.toLowerCase()];
      expect({ route: `${method} ${url}`, documented: Boolean(operation) }).toEqual({
        route: `${method} ${url}`,
        documented: true,
      });
      const security = operation.security ?? [];
      if (PUBLIC.has(`${method} ${url}`))
        expect({ route: `${method} ${url}`, security }).toEqual({ route: `${method} ${url}`, security: [] });
      else
        expect({ route: `${method} ${url}`, security }).toEqual({
          route: `${method} ${url}`,
          // Personal access tokens only where the operation lists the scopes they need.
          security:
            url === '/api/refresh'
              ? [{ refreshBearer: [] }, { refreshCookie: [] }]
              : expect.arrayContaining([{ bearer: [] }, { cookie: [] }]),
        });
      const scopes = (operation as { 'x-pat-scopes'?: string[] })['x-pat-scopes'];
      expect({ route: `${method} ${url}`, pat: security.some((s) => 'pat' in s) }).toEqual({
        route: `${method} ${url}`,
        pat: scopes !== undefined,
      });
      expect(security.length).toBe(PUBLIC.has(`${method} ${url}`) ? 0 : scopes === undefined ? 2 : 3);
    }
  });

  it('states the version package.json gives', () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string };
    expect(doc.info.version).toBe(pkg.version);
  });

  it('describes the bearer and cookie schemes and the error shape', () => {
    expect(doc.components.securitySchemes).toMatchObject({
      bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
      cookie: { type: 'apiKey', in: 'cookie', name: 'access_token' },
      pat: { type: 'http', scheme: 'bearer' },
    });
    expect((doc.paths['/api/tasks'].post as Record<string, unknown>)['x-pat-scopes']).toEqual(['tasks:write']);
    expect((doc.paths['/api/me'].get as Record<string, unknown>)['x-pat-scopes']).toEqual([]);
    expect((doc.paths['/api/tokens'].post as Record<string, unknown>)['x-pat-scopes']).toBeUndefined();
    expect(doc.components.schemas.ErrorResponse).toMatchObject({
      required: expect.arrayContaining(['statusCode', 'error', 'message']),
    });
    expect(doc.paths['/api/tasks'].post.responses['400']).toMatchObject({
      content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponse' } } },
    });
  });

  it('serves Swagger UI at /api/docs with a CSP that lets it load', async () => {
    const res = await t.http().get('/api/docs').expect(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.text).toContain('swagger-ui');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  });
});
