import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError } from 'src/config/env.validation';

/** Placeholders copied from tutorials and .env templates; a secret built around one is refused. */
const WEAK_WORDS = [
  'secret',
  'changeme',
  'change-me',
  'password',
  'your-256-bit',
  'yoursecret',
  'mysecret',
  'jwtsecret',
  'supersecret',
  'example',
  'default',
  'qwerty',
  '123456',
  'abcdef',
];

/** Why `secret` is too weak to sign HS256 tokens, or null when it is acceptable. */
export function weakSecretReason(secret: string): string | null {
  const bytes = Buffer.byteLength(secret, 'utf8');
  if (bytes < 32) return `must be at least 32 bytes (got ${bytes})`;
  const folded = secret.toLowerCase().replace(/[^a-z0-9]/g, '');
  const hit = WEAK_WORDS.find((w) => folded.includes(w.replace(/[^a-z0-9]/g, '')));
  if (hit) return `is a known weak value (contains "${hit}")`;
  // A 32-byte key drawn at random has ~20+ distinct characters; few distinct characters means a pattern.
  if (new Set(secret).size < 12) return 'is too repetitive to be a random key';
  return null;
}

/**
 * The HS256 key: JWT_SECRET when set; outside production, a random key generated
 * once into `<dataDir>/jwt-secret` (mode 0600) and reused on every start.
 */
export function resolveJwtSecret(configured: string | undefined, production: boolean, secretFile: string): string {
  if (configured !== undefined) {
    const reason = weakSecretReason(configured);
    if (reason) throw new ConfigError(`Invalid configuration: JWT_SECRET ${reason}`);
    return configured;
  }
  if (production) {
    throw new ConfigError('Invalid configuration: JWT_SECRET is required when NODE_ENV=production');
  }
  if (existsSync(secretFile)) {
    const stored = readFileSync(secretFile, 'utf8').trim();
    if (weakSecretReason(stored) === null) return stored;
    throw new ConfigError(`Invalid configuration: JWT_SECRET from ${secretFile} is too weak; delete the file`);
  }
  mkdirSync(dirname(secretFile), { recursive: true, mode: 0o700 });
  const generated = randomBytes(48).toString('base64url');
  writeFileSync(secretFile, generated + '\n', { mode: 0o600, flag: 'wx' });
  chmodSync(secretFile, 0o600);
  return generated;
}
