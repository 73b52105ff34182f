import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveJwtSecret, weakSecretReason } from 'src/config/jwt-secret';

describe('JWT secret', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'jwt-secret-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('accepts 32 random bytes', () => {
    expect(weakSecretReason('q3J9vT1xZk8LmN2pR7sW4yB6cD0fG5hA')).toBeNull();
  });

  it.each([
    ['shorter than 32 bytes', 'q3J9vT1xZk8LmN2pR7sW4yB6cD0fG5h', /at least 32 bytes/],
    ['a tutorial placeholder', 'your-256-bit-secret-your-256-bit-secret', /known weak value/],
    ['built around "changeme"', 'ChangeMe!ChangeMe!ChangeMe!ChangeMe!', /known weak value/],
    ['one character repeated', 'a'.repeat(64), /repetitive/],
    ['a short pattern repeated', 'abab1212'.repeat(5), /repetitive/],
  ])('refuses a secret %s', (_label, secret, reason) => {
    expect(weakSecretReason(secret)).toMatch(reason);
    expect(() => resolveJwtSecret(secret, false, join(dir, 'jwt-secret'))).toThrow(/JWT_SECRET/);
  });

  it('uses a configured secret as it is and writes no file', () => {
    const secret = 'q3J9vT1xZk8LmN2pR7sW4yB6cD0fG5hA';
    expect(resolveJwtSecret(secret, true, join(dir, 'jwt-secret'))).toBe(secret);
    expect(() => statSync(join(dir, 'jwt-secret'))).toThrow();
  });

  it('refuses to start in production without one', () => {
    expect(() => resolveJwtSecret(undefined, true, join(dir, 'jwt-secret'))).toThrow(
      'Invalid configuration: JWT_SECRET is required when NODE_ENV=production',
    );
  });

  it('outside production generates one once, mode 0600, and reuses it', () => {
    const file = join(dir, 'data', 'jwt-secret');
    const first = resolveJwtSecret(undefined, false, file);
    expect(weakSecretReason(first)).toBeNull();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim()).toBe(first);
    expect(resolveJwtSecret(undefined, false, file)).toBe(first);
  });

  it('refuses a weak generated-secret file', () => {
    const file = join(dir, 'jwt-secret');
    writeFileSync(file, 'short\n');
    expect(() => resolveJwtSecret(undefined, false, file)).toThrow(/too weak/);
  });
});
