import { looksLikePat, PAT_PREFIX } from 'src/auth/guards/pat-prefix';
import { isWellFormed, newSecret, TokenHasher } from 'src/tokens/token-secret';

describe('personal access token secrets', () => {
  const jwtSecret = 'q3J9vT1xZk8LmN2pR7sW4yB6cD0fG5hA';

  it('are prefixed, 256 random bits and a checksum, and never repeat', () => {
    const secrets = new Set(Array.from({ length: 1000 }, newSecret));
    expect(secrets.size).toBe(1000);
    for (const s of secrets) {
      expect(s).toMatch(/^tapi_pat_[0-9a-f]{72}$/);
      expect(isWellFormed(s)).toBe(true);
      expect(looksLikePat(s)).toBe(true);
    }
  });

  it('a changed character breaks the checksum', () => {
    const s = newSecret();
    const i = PAT_PREFIX.length + 5;
    expect(isWellFormed(s.slice(0, i) + (s[i] === '0' ? '1' : '0') + s.slice(i + 1))).toBe(false);
    expect(isWellFormed(s + '0')).toBe(false);
    expect(isWellFormed(s.toUpperCase())).toBe(false);
  });

  it('hash with the configured key, or one derived from the JWT secret; never the plain SHA-256', () => {
    const s = newSecret();
    const derived = new TokenHasher(undefined, jwtSecret);
    const configured = new TokenHasher('Zr8vQ2mK9xT4nB7cW1yL5pD3fH6jG0sA', jwtSecret);
    expect(derived.hash(s)).toMatch(/^[0-9a-f]{64}$/);
    expect(derived.hash(s)).toBe(new TokenHasher(undefined, jwtSecret).hash(s));
    expect(configured.hash(s)).not.toBe(derived.hash(s));
    expect(new TokenHasher(undefined, jwtSecret + 'x').hash(s)).not.toBe(derived.hash(s));
    expect(TokenHasher.same(derived.hash(s), derived.hash(s))).toBe(true);
    expect(TokenHasher.same(derived.hash(s), configured.hash(s))).toBe(false);
  });

  it('refuse a weak PAT_HASH_KEY at start-up', () => {
    expect(() => new TokenHasher('short', jwtSecret)).toThrow(/PAT_HASH_KEY must be at least 32 bytes/);
  });
});
