import { createPrivateKey, createPublicKey, createSecretKey, hkdfSync, KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { calculateJwkThumbprint, exportJWK, JWK } from 'jose';
import { AuthConfig } from 'src/config/auth.config';
import { ConfigError } from 'src/config/env.validation';

export type JwtAlgorithm = 'HS256' | 'RS256' | 'ES256' | 'EdDSA';

export interface PublicJwk extends JWK {
  kty: string;
  kid: string;
  alg: JwtAlgorithm;
  use: 'sig';
}

/**
 * Key material and the pinned verify options. Keys are KeyObjects, never
 * strings: jsonwebtoken given a string first tries to parse it as a PEM key
 * and throws, ~300 µs per call against ~7 µs with a KeyObject.
 *
 * HS256 with JWT_SECRET by default; with JWT_PRIVATE_KEY_FILE and
 * JWT_PUBLIC_KEY_FILE, the algorithm the key implies (RSA → RS256, P-256 →
 * ES256, Ed25519 → EdDSA), a `kid` (RFC 7638 thumbprint) in every header, and
 * the public keys, current and JWT_PREVIOUS_PUBLIC_KEY_FILES, published as JWKS.
 */
export class JwtKeys {
  private constructor(
    readonly algorithm: JwtAlgorithm,
    readonly signKey: KeyObject,
    /** The signing key's kid; undefined under HS256. */
    readonly kid: string | undefined,
    /** Verification keys by kid (asymmetric), or the one secret under HS256 (key ''). */
    private readonly verifyKeys: Map<string, KeyObject>,
    /** The public JWK Set; null under HS256, whose key must never be published. */
    readonly jwks: { keys: PublicJwk[] } | null,
    readonly issuer: string,
    readonly audience: string,
    /** Binds CSRF tokens to sessions; derived from JWT_SECRET, so every instance shares it. */
    readonly csrfKey: KeyObject,
  ) {}

  static async load(config: AuthConfig): Promise<JwtKeys> {
    const secret = createSecretKey(Buffer.from(config.jwtSecret, 'utf8'));
    const csrfKey = deriveKey(secret, 'csrf-token');
    if (!config.privateKeyFile || !config.publicKeyFile) {
      return new JwtKeys(
        'HS256',
        secret,
        undefined,
        new Map([['', secret]]),
        null,
        config.issuer,
        config.audience,
        csrfKey,
      );
    }
    const privateKey = readKey('JWT_PRIVATE_KEY_FILE', config.privateKeyFile, createPrivateKey);
    const publicKey = readKey('JWT_PUBLIC_KEY_FILE', config.publicKeyFile, createPublicKey);
    const algorithm = algorithmOf(privateKey, 'JWT_PRIVATE_KEY_FILE');
    const derived = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
    if (!derived.equals(publicKey.export({ format: 'der', type: 'spki' }))) {
      throw new ConfigError(
        'Invalid configuration: JWT_PUBLIC_KEY_FILE is not the public half of JWT_PRIVATE_KEY_FILE',
      );
    }
    const previous = config.previousPublicKeyFiles.map((file) => {
      const key = readKey('JWT_PREVIOUS_PUBLIC_KEY_FILES', file, createPublicKey);
      if (algorithmOf(key, 'JWT_PREVIOUS_PUBLIC_KEY_FILES') !== algorithm) {
        throw new ConfigError(
          `Invalid configuration: JWT_PREVIOUS_PUBLIC_KEY_FILES: ${file} is not an ${algorithm} key like the current one`,
        );
      }
      return key;
    });
    const keys = new Map<string, KeyObject>();
    const jwks: PublicJwk[] = [];
    for (const key of [publicKey, ...previous]) {
      const jwk = await exportJWK(key);
      const kid = await calculateJwkThumbprint(jwk);
      if (keys.has(kid)) continue;
      keys.set(kid, key);
      // exportJWK always sets kty; jose types it optional because private-key JWKs share the type.
      jwks.push({ ...jwk, kty: jwk.kty ?? '', kid, alg: algorithm, use: 'sig' });
    }
    return new JwtKeys(
      algorithm,
      privateKey,
      jwks[0].kid,
      keys,
      { keys: jwks },
      config.issuer,
      config.audience,
      csrfKey,
    );
  }

  /** The key a token's header asks for; undefined for an unknown kid. Under HS256 the kid is ignored. */
  verificationKey(kid: unknown): KeyObject | undefined {
    if (this.algorithm === 'HS256') return this.verifyKeys.get('');
    if (kid === undefined) return this.verifyKeys.get(this.kid as string);
    return typeof kid === 'string' ? this.verifyKeys.get(kid) : undefined;
  }
}

function readKey(variable: string, file: string, parse: (pem: Buffer) => KeyObject): KeyObject {
  try {
    return parse(readFileSync(file));
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'not a PEM key of that kind';
    throw new ConfigError(`Invalid configuration: ${variable}: ${file}: ${why}`);
  }
}

function algorithmOf(key: KeyObject, variable: string): JwtAlgorithm {
  const details = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case 'rsa':
      if ((details.modulusLength ?? 0) < 2048)
        throw new ConfigError(`Invalid configuration: ${variable}: RSA keys need at least 2048 bits`);
      return 'RS256';
    case 'ec':
      if (details.namedCurve !== 'prime256v1')
        throw new ConfigError(`Invalid configuration: ${variable}: EC keys must be P-256 (ES256)`);
      return 'ES256';
    case 'ed25519':
      return 'EdDSA';
    default:
      throw new ConfigError(`Invalid configuration: ${variable}: use an RSA, P-256 or Ed25519 key`);
  }
}

/** A separate key for another purpose from the same secret (HKDF, RFC 5869). */
function deriveKey(key: KeyObject, purpose: string): KeyObject {
  return createSecretKey(Buffer.from(hkdfSync('sha256', key.export(), Buffer.alloc(0), purpose, 32)));
}
