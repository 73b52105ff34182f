import { createHmac, createSecretKey, hkdfSync, KeyObject, randomBytes, timingSafeEqual } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { ConfigError } from 'src/config/env.validation';
import { weakSecretReason } from 'src/config/jwt-secret';
import { PAT_PREFIX } from 'src/auth/guards/pat-prefix';

const SECRET_BYTES = 32;
/** What every secret looks like: the prefix, 64 hex digits of secret, 8 of CRC-32 (the document's pattern too). */
export const SHAPE = new RegExp(`^${PAT_PREFIX}([0-9a-f]{${SECRET_BYTES * 2}})([0-9a-f]{8})$`);

const checksum = (body: string) => crc32(body).toString(16).padStart(8, '0');

/** A new secret: 256 random bits and a CRC-32 of them, so a scanner (and we) can tell a typo from a token offline. */
export function newSecret(): string {
  const body = randomBytes(SECRET_BYTES).toString('hex');
  return `${PAT_PREFIX}${body}${checksum(body)}`;
}

/** True for something shaped like a token we issued (prefix, length, checksum); nothing is looked up. */
export function isWellFormed(secret: string): boolean {
  const match = SHAPE.exec(secret);
  return match !== null && checksum(match[1]) === match[2];
}

/**
 * The stored form of a secret: HMAC-SHA256 under a server key. Fast (it runs on
 * every request, unlike bcrypt), and a stolen table is useless without the key.
 */
export class TokenHasher {
  private readonly key: KeyObject;

  constructor(configuredKey: string | undefined, jwtSecret: string) {
    if (configuredKey !== undefined) {
      const reason = weakSecretReason(configuredKey);
      if (reason) throw new ConfigError(`Invalid configuration: PAT_HASH_KEY ${reason}`);
      this.key = createSecretKey(Buffer.from(configuredKey, 'utf8'));
    } else {
      // Its own key from the JWT secret (HKDF, RFC 5869): no new variable to set, never the same key twice.
      this.key = createSecretKey(
        Buffer.from(hkdfSync('sha256', Buffer.from(jwtSecret, 'utf8'), Buffer.alloc(0), 'personal-access-token', 32)),
      );
    }
  }

  hash(secret: string): string {
    return createHmac('sha256', this.key).update(secret).digest('hex');
  }

  /**
   * Compares the presented secret's hash with the stored one in constant time. The row was
   * found by this hash already; this keeps the decision itself free of an early-exit compare.
   */
  static same(presentedHash: string, storedHash: string): boolean {
    const a = Buffer.from(presentedHash, 'hex');
    const b = Buffer.from(storedHash, 'hex');
    return a.length === b.length && timingSafeEqual(a, b);
  }
}
