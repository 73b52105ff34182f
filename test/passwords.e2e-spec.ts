import * as bcrypt from 'bcrypt';
import { request as httpRequest } from 'node:http';
import { AddressInfo } from 'node:net';
import { createTestApp, STRONG_PASSWORD, TestApp } from './utils/create-test-app';
import { bearer, login, loginAs, register, uniqueName } from './utils/auth';
import { runElsewhere } from './utils/database';
import { LoginAttemptsService } from 'src/throttling/login-attempts.service';
import { PasswordService } from 'src/users/password.service';

const NFC = 'caf\u00e9-horse-battery';
const NFD = 'cafe\u0301-horse-battery';
const FULL_WIDTH = 'ｃａｆé-horse-battery';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
}

/** The app listening on loopback, so requests can come from another loopback address (another client). */
async function listen(t: TestApp): Promise<number> {
  await t.app.listen(0, '127.0.0.1');
  return (t.app.getHttpServer().address() as AddressInfo).port;
}

/** A JSON POST from `from` (a 127.0.0.0/8 address: Linux routes them all to loopback). */
function postFrom(port: number, from: string, path: string, body: unknown): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        localAddress: from,
        headers: { 'content-type': 'application/json' },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: JSON.parse(text) }));
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

const tooMany = { statusCode: 429, error: 'Too Many Requests', message: 'Too many requests' };
const busy = { statusCode: 503, error: 'Service Unavailable', message: 'Server busy, try again later' };

function expectRetryAfter(answer: Answer) {
  expect(Number(answer.headers['retry-after'])).toBeGreaterThanOrEqual(1);
}

describe('Passwords (e2e)', () => {
  // First: only the first app of a file has its log lines in t.logs().
  describe('PATCH /api/me/password counts wrong current passwords like login (LOGIN_MAX_FAILURES)', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ LOGIN_MAX_FAILURES: '3' });
    });
    afterAll(() => t.close());

    const change = (token: string, current: string) =>
      t
        .http()
        .patch('/api/me/password')
        .set(bearer(token))
        .send({ current_password: current, new_password: 'a-brand-new-passphrase' });

    it('answers 429 with Retry-After after the limit, even for the right password, and login shares the count', async () => {
      const u = await loginAs(t, 'user');
      for (let i = 0; i < 3; i++) await change(u.access_token, `wrong-guess-${i}`).expect(403);
      const throttlesBefore = t.app.get(LoginAttemptsService).throttleCount();
      const right = await change(u.access_token, STRONG_PASSWORD);
      expect(right.status).toBe(429);
      expect(right.body).toEqual(tooMany);
      expect(Number(right.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      await t.http().post('/api/login').send({ username: u.username, password: STRONG_PASSWORD }).expect(429);
      // The count metrics read.
      expect(t.app.get(LoginAttemptsService).throttleCount()).toBe(throttlesBefore + 2);
      expect(t.logs()).toContainEqual(expect.objectContaining({ audit: 'password.change_failed', userId: u.id }));
    });

    it('resets the count on a right password', async () => {
      const u = await loginAs(t, 'user');
      for (let i = 0; i < 2; i++) await change(u.access_token, `wrong-guess-${i}`).expect(403);
      await login(t, u.username);
      for (let i = 0; i < 2; i++) await change(u.access_token, `wrong-guess-${i}`).expect(403);
      await change(u.access_token, STRONG_PASSWORD).expect(200);
    });
  });

  describe('normalisation and the username rule', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp();
    });
    afterAll(() => t.close());

    it('logs in with any Unicode spelling of the password it was registered with (NFKC)', async () => {
      const { username } = await register(t, uniqueName(), NFC);
      await login(t, username, NFD);
      await login(t, username, NFC);
      await login(t, username, FULL_WIDTH);
      await t.http().post('/api/login').send({ username, password: 'cafe-horse-battery' }).expect(401);
    });

    it('lets a user hashed before normalisation log in as typed, then with any spelling (rehashed)', async () => {
      const { username, id } = await register(t);
      // A hash of the password as typed (decomposed), as the service stored it before 0.8.0.
      const legacy = await bcrypt.hash(NFD, 10);
      await runElsewhere(
        t.env.DATABASE_URL,
        `UPDATE users SET password_hash = '${legacy}', password_normalized = ${isSqlite(t) ? 0 : 'false'} WHERE id = ${id}`,
      );
      // Before the login that rehashes, only the typed spelling matches.
      await t.http().post('/api/login').send({ username, password: NFC }).expect(401);
      await login(t, username, NFD);
      await login(t, username, NFC);
      await login(t, username, NFD);
    });

    it('refuses at register a password equal to or containing the username, in any case, storing nothing', async () => {
      for (const [username, password] of [
        [uniqueName('eq'), undefined],
        [uniqueName('has'), 'x-{U}-horse-battery'],
      ] as const) {
        const pw = password ? password.replace('{U}', username.toUpperCase()) : username;
        const res = await t.http().post('/api/register').send({ username, password: pw });
        expect(res.status).toBe(400);
        expect(res.body.message).toContain('password must not contain the username');
        await t.http().post('/api/login').send({ username, password: pw }).expect(401);
      }
    });

    it('refuses it at admin create', async () => {
      const admin = await loginAs(t, 'admin');
      const username = uniqueName('adm');
      const res = await t
        .http()
        .post('/api/users')
        .set(bearer(admin.access_token))
        .send({ username, password: `${username}-horse-battery`, role: 'user' });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message: ['password must not contain the username'],
      });
    });

    it('refuses it at a password change, which changes nothing', async () => {
      const u = await loginAs(t, 'user');
      const res = await t
        .http()
        .patch('/api/me/password')
        .set(bearer(u.access_token))
        .send({ current_password: STRONG_PASSWORD, new_password: `my-${u.username.toUpperCase()}-pass` });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message: ['new_password must not contain the username'],
      });
      await login(t, u.username);
    });

    it('treats another spelling of the current password as the same password', async () => {
      const { username } = await register(t, uniqueName(), NFC);
      const tokens = await login(t, username, NFC);
      const res = await t
        .http()
        .patch('/api/me/password')
        .set(bearer(tokens.access_token))
        .send({ current_password: NFC, new_password: NFD });
      expect(res.status).toBe(400);
      expect(res.body.message).toEqual(['new_password must differ from current_password']);
    });
  });

  describe('bounds on bcrypt work', () => {
    const storm = (port: number, from: string, usernames: string[]) =>
      Promise.all(
        usernames.map((username) => postFrom(port, from, '/api/login', { username, password: 'guess-1234' })),
      );

    it('refuses an address beyond BCRYPT_MAX_PER_CLIENT with 429 while another address logs in', async () => {
      // Cost 12: each hash lasts long enough that the storm's requests overlap on a fast machine too.
      const t = await createTestApp({ BCRYPT_COST: '12', BCRYPT_MAX_PER_CLIENT: '2' });
      try {
        const { username } = await register(t);
        const port = await listen(t);
        const [answers, other] = await Promise.all([
          storm(
            port,
            '127.0.0.1',
            Array.from({ length: 8 }, () => uniqueName('ghost')),
          ),
          postFrom(port, '127.0.0.2', '/api/login', { username, password: STRONG_PASSWORD }),
        ]);
        expect(other.status).toBe(200);
        const refused = answers.filter((a) => a.status === 429);
        expect(refused.length).toBeGreaterThan(0);
        for (const a of refused) {
          expect(a.body).toEqual(tooMany);
          expectRetryAfter(a);
        }
        // Unknown users cost a comparison like wrong passwords, inside the same bound.
        expect(answers.filter((a) => a.status === 401).length).toBeGreaterThanOrEqual(2);
        expect(answers.every((a) => a.status === 401 || a.status === 429)).toBe(true);
        // What metrics read: the refusals counted, and nothing left running or queued.
        expect(t.app.get(PasswordService).stats()).toEqual({
          running: 0,
          queued: 0,
          refused: { client: refused.length, username: 0, backlog: 0 },
        });
      } finally {
        await t.close();
      }
    });

    it('refuses a username beyond BCRYPT_MAX_PER_USERNAME with 429, from any address', async () => {
      const t = await createTestApp({ BCRYPT_COST: '12', BCRYPT_MAX_PER_USERNAME: '1' });
      try {
        const port = await listen(t);
        const target = uniqueName('target');
        const answers = await Promise.all(
          ['127.0.0.3', '127.0.0.4', '127.0.0.5', '127.0.0.6', '127.0.0.7'].map((from) =>
            postFrom(port, from, '/api/login', { username: target, password: 'guess-1234' }),
          ),
        );
        const refused = answers.filter((a) => a.status === 429);
        expect(refused.length).toBeGreaterThan(0);
        for (const a of refused) expect(a.body).toEqual(tooMany);
        expect(answers.some((a) => a.status === 401)).toBe(true);
      } finally {
        await t.close();
      }
    });

    it('answers 503 with Retry-After beyond BCRYPT_MAX_BACKLOG', async () => {
      const t = await createTestApp({ BCRYPT_COST: '12', BCRYPT_MAX_BACKLOG: '1' });
      try {
        const port = await listen(t);
        const answers = await storm(
          port,
          '127.0.0.1',
          Array.from({ length: 10 }, () => uniqueName('ghost')),
        );
        const refused = answers.filter((a) => a.status === 503);
        expect(refused.length).toBeGreaterThan(0);
        for (const a of refused) {
          expect(a.body).toEqual(busy);
          expectRetryAfter(a);
        }
        expect(answers.every((a) => a.status === 401 || a.status === 503)).toBe(true);
      } finally {
        await t.close();
      }
    });
  });
});

const isSqlite = (t: TestApp) => t.env.DATABASE_URL.startsWith('sqlite:');
