import { ADMIN, createTestApp, TestApp } from './utils/create-test-app';
import { bearer, login } from './utils/auth';

// Its own file: passport keeps strategies in a process-wide registry, so one
// file runs one application at a time.
describe('Access-token expiry with a short JWT_ACCESS_TTL (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ JWT_ACCESS_TTL: '1' });
  });
  afterAll(() => t.close());

  it('refuses an access token once its lifetime has passed, with the contract message', async () => {
    const tokens = await login(t, ADMIN.username, ADMIN.password);
    expect(tokens.expires_in).toBe(1);
    await t.http().get('/api/me').set(bearer(tokens.access_token)).expect(200);
    await new Promise((r) => setTimeout(r, 2100));
    const res = await t.http().get('/api/me').set(bearer(tokens.access_token));
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'Token has expired' });
  });
});
