import { createTestApp, TestApp } from './utils/create-test-app';
import { bearer, decode, loginAs } from './utils/auth';

describe('Security headers and CORS (e2e)', () => {
  describe('defaults', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp();
    });
    afterAll(() => t.close());

    it('sends nosniff, denies framing, and no X-Powered-By', async () => {
      const res = await t.http().get('/api/me');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(res.headers['content-security-policy']).toContain("default-src 'none'");
      expect(res.headers['x-powered-by']).toBeUndefined();
      expect(res.headers['strict-transport-security']).toBeUndefined();
    });

    it('marks API answers, token answers above all, Cache-Control: no-store', async () => {
      const u = await loginAs(t, 'user');
      expect((await t.http().get('/api/me').set(bearer(u.access_token))).headers['cache-control']).toBe('no-store');
      const refresh = await t.http().post('/api/refresh').set(bearer(u.refresh_token));
      expect(refresh.headers['cache-control']).toBe('no-store');
    });

    it('answers no origin with CORS headers when CORS_ORIGINS is empty', async () => {
      const res = await t
        .http()
        .options('/api/login')
        .set('Origin', 'https://evil.example')
        .set('Access-Control-Request-Method', 'POST');
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    });

    it('ignores X-Forwarded-For without TRUST_PROXY', async () => {
      const u = await loginAs(t, 'user');
      await t
        .http()
        .post('/api/login')
        .set('X-Forwarded-For', '203.0.113.7')
        .send({ username: u.username, password: 'correct-horse-battery-staple' })
        .expect(200);
      const sessions = await t.http().get('/api/sessions').set(bearer(u.access_token)).expect(200);
      expect(sessions.body.map((s: { ip: string }) => s.ip)).not.toContain('203.0.113.7');
    });
  });

  describe('behind a trusted proxy, with allowed origins', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ TRUST_PROXY: 'loopback', CORS_ORIGINS: 'https://app.example, https://admin.example' });
    });
    afterAll(() => t.close());

    it('sends HSTS only when the proxy says the request came over TLS', async () => {
      const tls = await t.http().get('/api/me').set('X-Forwarded-Proto', 'https');
      expect(tls.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
      const plain = await t.http().get('/api/me').set('X-Forwarded-Proto', 'http');
      expect(plain.headers['strict-transport-security']).toBeUndefined();
    });

    it('records the client address from X-Forwarded-For', async () => {
      const u = await loginAs(t, 'user');
      const res = await t
        .http()
        .post('/api/login')
        .set('X-Forwarded-For', '203.0.113.7')
        .send({ username: u.username, password: 'correct-horse-battery-staple' })
        .expect(200);
      const sessions = await t.http().get('/api/sessions').set(bearer(u.access_token)).expect(200);
      const fromProxy = (sessions.body as Array<{ id: string; ip: string }>).find(
        (s) => s.id === decode(res.body.access_token).sid,
      );
      expect(fromProxy?.ip).toBe('203.0.113.7');
    });

    it('allows a listed origin with credentials, exposing the pagination and CSRF headers', async () => {
      const res = await t
        .http()
        .options('/api/tasks')
        .set('Origin', 'https://admin.example')
        .set('Access-Control-Request-Method', 'POST')
        .set('Access-Control-Request-Headers', 'content-type,x-csrf-token');
      expect(res.status).toBe(204);
      expect(res.headers['access-control-allow-origin']).toBe('https://admin.example');
      expect(res.headers['access-control-allow-credentials']).toBe('true');
      expect(res.headers['access-control-allow-headers']).toContain('X-CSRF-Token');
      const get = await t.http().get('/api/me').set('Origin', 'https://app.example');
      expect(get.headers['access-control-expose-headers']).toContain('X-Total-Count');
    });

    it('never reflects an origin that is not listed', async () => {
      for (const origin of [
        'https://evil.example',
        'https://app.example.evil.example',
        'null',
        'https://APP.example',
      ]) {
        const res = await t
          .http()
          .options('/api/login')
          .set('Origin', origin)
          .set('Access-Control-Request-Method', 'POST');
        expect(res.headers['access-control-allow-origin']).toBeUndefined();
      }
    });
  });
});
