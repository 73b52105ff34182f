import { ADMIN, createTestApp, TestApp } from './utils/create-test-app';
import { bearer, login } from './utils/auth';

// Its own file: passport keeps strategies in a process-wide registry, so one
// file runs one application at a time.
describe('Access-token expiry with a short JWT_ACCESS_TTL (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    // Long enough that a busy machine still uses the token before it expires: `exp` counts whole
    // seconds from a floored `iat`, so a 1-second lifetime can be over in a few milliseconds.
    t = await createTestApp({ JWT_ACCESS_TTL: '5' });
  });
  afterAll(() => t.close());

  it('refuses an access token once its lifetime has passed, with the contract message', async () => {
    const tokens = await login(t, ADMIN.username, ADMIN.password);
    expect(tokens.expires_in).toBe(5);
    await t.http().get('/api/me').set(bearer(tokens.access_token)).expect(200);
    const { exp } = JSON.parse(Buffer.from(tokens.access_token.split('.')[1], 'base64url').toString()) as {
      exp: number;
    };
    // Until the clock is past `exp` (a token is good through its last second), whatever the load.
    await new Promise((r) => setTimeout(r, Math.max(0, exp * 1000 - Date.now()) + 1100));
    const res = await t.http().get('/api/me').set(bearer(tokens.access_token));
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'Token has expired' });
  });
});
