import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestApp } from './utils/create-test-app';
import { bearer, login } from './utils/auth';
import { freshDatabase } from './utils/database';

const root = join(__dirname, '..');

/** The built service and CLI as operators run them: real processes, real exit codes. */
describe('Processes: start-up checks and create-admin (e2e)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'task-api-proc-'));
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const run = (script: string, env: Record<string, string>, input = '', args: string[] = []) => {
    // Only what the test sets: no developer .env or shell variable leaks in.
    const clean = { PATH: process.env.PATH ?? '', HOME: dir, ...env };
    return spawnSync(process.execPath, [join(root, 'dist', script), ...args], {
      cwd: dir,
      env: clean,
      input,
      encoding: 'utf8',
      timeout: 30_000,
    });
  };

  it.each([
    [{ PORT: 'abc' }, 'Invalid configuration: PORT must be an integer number'],
    [{ BCRYPT_COST: '20' }, 'Invalid configuration: BCRYPT_COST must not be greater than 15'],
    [{ JWT_SECRET: 'too-short' }, 'Invalid configuration: JWT_SECRET must be at least 32 bytes (got 9)'],
    [{ NODE_ENV: 'production' }, 'Invalid configuration: JWT_SECRET is required when NODE_ENV=production'],
    [
      { JWT_SECRET: 'secretsecretsecretsecretsecretsecret' },
      'Invalid configuration: JWT_SECRET is a known weak value (contains "secret")',
    ],
  ])('refuses to start with %j: one line, exit 1', (env, line) => {
    const res = run('main.js', env);
    expect(res.status).toBe(1);
    expect(res.stderr).toBe(`${line}\n`);
    expect(res.stdout).toBe('');
  });

  describe('npm run create-admin', () => {
    let settings: Record<string, string>;
    let drop: () => Promise<void>;
    beforeAll(async () => {
      const db = await freshDatabase(dir, 'cli');
      drop = db.drop;
      settings = { DATABASE_URL: db.url, JWT_SECRET: randomBytes(32).toString('base64url'), BCRYPT_COST: '10' };
    });
    afterAll(() => drop());

    it('creates an admin from a password on stdin', () => {
      const res = run('cli/create-admin.js', settings, 'a-long-admin-passphrase\n', ['ops-root']);
      expect(res.stderr).toBe('');
      expect(res.stdout).toMatch(/^Created admin ops-root \(id \d+\)\n$/);
      expect(res.status).toBe(0);
    });

    it('refuses a taken name, a weak password, one containing the name and a missing name with one line and exit 1', () => {
      for (const [args, input, message] of [
        [['OPS-ROOT'], 'another-long-passphrase\n', 'Username already exists\n'],
        [['ops-two'], 'password1\n', 'password is too common\n'],
        [['ops-three'], 'the-OPS-THREE-passphrase\n', 'password must not contain the username\n'],
        [[], 'another-long-passphrase\n', expect.stringMatching(/^Usage: npm run create-admin/)],
      ] as const) {
        const res = run('cli/create-admin.js', settings, input, [...args]);
        expect(res.status).toBe(1);
        expect(res.stderr).toEqual(message);
      }
    });

    it('reads the password from ADMIN_PASSWORD, and the admin can use the API', async () => {
      const res = run('cli/create-admin.js', { ...settings, ADMIN_PASSWORD: 'env-provided-passphrase' }, '', [
        'ops-env',
      ]);
      expect(res.status).toBe(0);
      const t = await createTestApp({ ...settings, ADMIN_USERNAME: '', ADMIN_PASSWORD: '' });
      try {
        const tokens = await login(t, 'ops-env', 'env-provided-passphrase');
        const me = await t.http().get('/api/me').set(bearer(tokens.access_token)).expect(200);
        expect(me.body).toMatchObject({ username: 'ops-env', role: 'admin' });
        await login(t, 'ops-root', 'a-long-admin-passphrase');
      } finally {
        await t.app.close();
      }
    });
  });
});
