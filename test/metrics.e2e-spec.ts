import { randomBytes } from 'node:crypto';
import { createTestApp, STRONG_PASSWORD, TestApp } from './utils/create-test-app';
import { bearer, login, loginAs, register } from './utils/auth';

/** Prometheus text format: `name{a="b",...} value` lines. */
function parse(text: string): Array<{ name: string; labels: Record<string, string>; value: number }> {
  const samples = [];
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) continue;
    const labels = Object.fromEntries(
      [...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]),
    );
    samples.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return samples;
}

/** The sum of the samples of `name` whose labels include `labels` (0 when none). */
function value(text: string, name: string, labels: Record<string, string> = {}): number {
  return parse(text)
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}

describe('GET /metrics outside production (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    // Cost 10, so that a burst of logins is slow enough to be seen queueing.
    t = await createTestApp({ LOGIN_MAX_FAILURES: '2', BCRYPT_COST: '10' });
  });
  afterAll(() => t?.close());

  const scrape = async () => {
    const res = await t.http().get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    return res.text;
  };

  it('counts requests by route pattern and status, logins, refresh reuse and session-cache lookups', async () => {
    const before = await scrape();
    const user = await loginAs(t, 'user');
    await t.http().get('/api/me').set(bearer(user.access_token)).expect(200);
    await t.http().get('/api/me').set(bearer(user.access_token)).expect(200);
    await t.http().get('/api/tasks/2147483000').set(bearer(user.access_token)).expect(404);
    await t.http().get('/api/no/such/route').expect(404);
    // A wrong password twice, then the limit (LOGIN_MAX_FAILURES=2) refuses even the right one.
    const victim = await register(t);
    for (let i = 0; i < 2; i++)
      await t.http().post('/api/login').send({ username: victim.username, password: 'wrong-password-1' }).expect(401);
    await t.http().post('/api/login').send({ username: victim.username, password: STRONG_PASSWORD }).expect(429);
    // Presenting a spent refresh token again.
    await t.http().post('/api/refresh').set(bearer(user.refresh_token)).expect(200);
    await t.http().post('/api/refresh').set(bearer(user.refresh_token)).expect(401);
    const after = await scrape();

    const moved = (name: string, labels: Record<string, string> = {}) =>
      value(after, name, labels) - value(before, name, labels);
    const me = { method: 'GET', route: '/api/me', status_code: '200' };
    expect(moved('http_requests_total', me)).toBe(2);
    expect(moved('http_request_duration_seconds_count', me)).toBe(2);
    expect(moved('http_request_duration_seconds_sum', me)).toBeGreaterThan(0);
    expect(moved('http_request_duration_seconds_bucket', { ...me, le: '+Inf' })).toBe(2);
    // The pattern, never the URL: ids and unknown paths do not make new series.
    expect(moved('http_requests_total', { route: '/api/tasks/:id', status_code: '404' })).toBe(1);
    expect(moved('http_requests_total', { route: 'unmatched', status_code: '404' })).toBe(1);
    expect(after).not.toContain('2147483000');
    expect(after).not.toContain('/api/no/such/route');

    expect(moved('auth_logins_total', { outcome: 'succeeded' })).toBe(1);
    expect(moved('auth_logins_total', { outcome: 'failed' })).toBe(2);
    expect(moved('auth_logins_total', { outcome: 'throttled' })).toBe(1);
    expect(moved('auth_refresh_reuse_detected_total')).toBe(1);

    // The authenticated requests above looked their session up: 2 × /api/me, the task, one refresh.
    const lookups = moved('session_cache_lookups_total');
    expect(lookups).toBeGreaterThanOrEqual(4);
    if (process.env.TEST_POSTGRES_URL) {
      // No cache on PostgreSQL (README, "The session cache"): every lookup reads the database.
      expect(moved('session_cache_lookups_total', { result: 'miss' })).toBe(lookups);
    } else {
      // The second GET /api/me at least finds the session the first one read.
      expect(moved('session_cache_lookups_total', { result: 'hit' })).toBeGreaterThanOrEqual(1);
    }
  });

  it('shows bcrypt work in flight and queued during a burst of logins', async () => {
    const { username } = await register(t);
    const burst = Array.from({ length: 12 }, () => login(t, username));
    let done = false;
    void Promise.allSettled(burst).then(() => (done = true));
    let inFlight = 0;
    let queued = 0;
    // Scrapes until the burst is over; however slow the machine, its hashes overlap some scrape.
    while (!done) {
      const text = await scrape();
      inFlight = Math.max(inFlight, value(text, 'bcrypt_operations_in_flight'));
      queued = Math.max(queued, value(text, 'bcrypt_operations_queued'));
    }
    await Promise.all(burst);
    expect(inFlight).toBeGreaterThanOrEqual(1);
    expect(queued).toBeGreaterThanOrEqual(1);
    const idle = await scrape();
    expect(value(idle, 'bcrypt_operations_in_flight')).toBe(0);
    expect(value(idle, 'bcrypt_operations_queued')).toBe(0);
  });

  it('reports event-loop delay, process figures and the database connections', async () => {
    // The app runs in this process: block its event loop for 60 ms, let the monitor tick, scrape
    // (prom-client restarts the delay histogram at each scrape); a few times, should a tick fall short.
    let text = '';
    let maxDelay = 0;
    for (let i = 0; i < 5 && maxDelay < 0.05; i++) {
      const until = Date.now() + 60;
      while (Date.now() < until);
      await new Promise((r) => setTimeout(r, 30));
      text = await scrape();
      maxDelay = value(text, 'nodejs_eventloop_lag_max_seconds');
    }
    const names = new Set(parse(text).map((s) => s.name));
    for (const name of [
      'nodejs_eventloop_lag_p99_seconds',
      'nodejs_eventloop_lag_max_seconds',
      'process_resident_memory_bytes',
      'db_pool_connections',
    ])
      expect(names).toContain(name);
    expect(maxDelay).toBeGreaterThanOrEqual(0.05);
    expect(value(text, 'db_pool_connections', { state: 'total' })).toBeGreaterThanOrEqual(1);
  });

  it('is outside /api and not in the OpenAPI document', async () => {
    await t.http().get('/api/metrics').expect(404);
    const doc = await t.http().get('/api/docs-json').expect(200);
    expect(JSON.stringify(doc.body.paths)).not.toContain('metrics');
  });
});

describe('METRICS_ENABLED=false (e2e)', () => {
  it('serves no /metrics', async () => {
    const t = await createTestApp({ METRICS_ENABLED: 'false' });
    try {
      await t.http().get('/metrics').expect(404);
    } finally {
      await t.close();
    }
  });
});

describe('GET /metrics in production (e2e)', () => {
  const production = { NODE_ENV: 'production', BCRYPT_COST: '10', RATE_LIMIT_PER_MINUTE: '2' };

  it('is 404, like an unknown path, while METRICS_TOKEN is unset', async () => {
    const t = await createTestApp(production);
    try {
      const res = await t.http().get('/metrics').expect(404);
      expect(res.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
    } finally {
      await t.close();
    }
  });

  it('answers only the bearer of METRICS_TOKEN, and is never rate-limited', async () => {
    const token = randomBytes(32).toString('base64url');
    const t = await createTestApp({ ...production, METRICS_TOKEN: token });
    try {
      const refused = [undefined, `Bearer ${token.slice(0, -1)}x`, `Bearer ${token}x`, `Basic ${token}`, token];
      for (const header of refused) {
        const req = t.http().get('/metrics');
        const res = await (header === undefined ? req : req.set('Authorization', header)).expect(401);
        expect(res.body).toEqual({
          statusCode: 401,
          error: 'Unauthorized',
          message: 'The metrics token is missing or wrong',
        });
        expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
      }
      // RATE_LIMIT_PER_MINUTE=2 would refuse the third call to a limited route.
      for (let i = 0; i < 5; i++) {
        const res = await t.http().get('/metrics').set(bearer(token)).expect(200);
        expect(res.text).toContain('http_requests_total');
      }
    } finally {
      await t.close();
    }
  });
});
