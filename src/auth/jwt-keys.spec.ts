import { generateKeyPairSync, KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JwtKeys } from 'src/auth/jwt-keys';
import { AuthConfig } from 'src/config/auth.config';

describe('JwtKeys.load', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'jwt-keys-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  let n = 0;
  const files = (pair: { privateKey: KeyObject; publicKey: KeyObject }) => {
    const priv = join(dir, `${++n}.key.pem`);
    const pub = join(dir, `${n}.pub.pem`);
    writeFileSync(priv, pair.privateKey.export({ format: 'pem', type: 'pkcs8' }));
    writeFileSync(pub, pair.publicKey.export({ format: 'pem', type: 'spki' }));
    return { priv, pub };
  };
  const config = (over: Partial<AuthConfig>): AuthConfig => ({
    jwtSecret: 'q3J9vT1xZk8LmN2pR7sW4yB6cD0fG5hA',
    privateKeyFile: undefined,
    publicKeyFile: undefined,
    previousPublicKeyFiles: [],
    accessTtl: 900,
    refreshTtl: 2_592_000,
    issuer: 'task-api',
    audience: 'task-api',
    bcryptCost: 10,
    bcryptMaxPerClient: 4,
    bcryptMaxPerUsername: 4,
    bcryptMaxBacklog: 64,
    loginMaxFailures: 5,
    loginFailureWindow: 900,
    rateLimitPerMinute: 600,
    adminUsername: undefined,
    adminPassword: undefined,
    ...over,
  });

  it('uses HS256 and publishes nothing without key files', async () => {
    const keys = await JwtKeys.load(config({}));
    expect(keys.algorithm).toBe('HS256');
    expect(keys.jwks).toBeNull();
    expect(keys.kid).toBeUndefined();
  });

  it.each([
    ['an RSA key', () => generateKeyPairSync('rsa', { modulusLength: 2048 }), 'RS256'],
    ['a P-256 key', () => generateKeyPairSync('ec', { namedCurve: 'prime256v1' }), 'ES256'],
    ['an Ed25519 key', () => generateKeyPairSync('ed25519'), 'EdDSA'],
  ])('implies the algorithm from %s', async (_label, make, alg) => {
    const f = files(make());
    const keys = await JwtKeys.load(config({ privateKeyFile: f.priv, publicKeyFile: f.pub }));
    expect(keys.algorithm).toBe(alg);
    expect(keys.jwks?.keys).toEqual([expect.objectContaining({ alg, kid: keys.kid, use: 'sig' })]);
  });

  it.each([
    [
      'a 1024-bit RSA key',
      () => files(generateKeyPairSync('rsa', { modulusLength: 1024 })),
      /RSA keys need at least 2048 bits/,
    ],
    ['a P-384 key', () => files(generateKeyPairSync('ec', { namedCurve: 'secp384r1' })), /EC keys must be P-256/],
    ['an X25519 key', () => files(generateKeyPairSync('x25519')), /use an RSA, P-256 or Ed25519 key/],
    [
      'a public key of another pair',
      () => ({ priv: files(generateKeyPairSync('ed25519')).priv, pub: files(generateKeyPairSync('ed25519')).pub }),
      /JWT_PUBLIC_KEY_FILE is not the public half of JWT_PRIVATE_KEY_FILE/,
    ],
    [
      'a missing file',
      () => ({ priv: join(dir, 'nope.pem'), pub: join(dir, 'nope.pub') }),
      /JWT_PRIVATE_KEY_FILE: .*nope\.pem: no such file/,
    ],
    [
      'a file that is not PEM',
      () => {
        const p = join(dir, 'junk.pem');
        writeFileSync(p, 'junk');
        return { priv: p, pub: p };
      },
      /not a PEM key/,
    ],
  ])('refuses %s with one line naming the variable', async (_label, make, message) => {
    const f = make();
    await expect(JwtKeys.load(config({ privateKeyFile: f.priv, publicKeyFile: f.pub }))).rejects.toThrow(message);
  });

  it('publishes previous public keys after the current one, and refuses one of another kind', async () => {
    const current = files(generateKeyPairSync('ed25519'));
    const previous = files(generateKeyPairSync('ed25519'));
    const keys = await JwtKeys.load(
      config({ privateKeyFile: current.priv, publicKeyFile: current.pub, previousPublicKeyFiles: [previous.pub] }),
    );
    expect(keys.jwks?.keys).toHaveLength(2);
    expect(keys.jwks?.keys[0].kid).toBe(keys.kid);
    expect(keys.verificationKey(keys.jwks?.keys[1].kid)).toBeDefined();
    expect(keys.verificationKey('unknown')).toBeUndefined();
    const rsaPrevious = files(generateKeyPairSync('rsa', { modulusLength: 2048 }));
    await expect(
      JwtKeys.load(
        config({ privateKeyFile: current.priv, publicKeyFile: current.pub, previousPublicKeyFiles: [rsaPrevious.pub] }),
      ),
    ).rejects.toThrow(/is not an EdDSA key like the current one/);
  });
});
