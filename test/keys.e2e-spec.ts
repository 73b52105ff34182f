import { createPrivateKey, generateKeyPairSync, KeyObject, sign as rawSign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { sign } from 'jsonwebtoken';
import { ADMIN, createTestApp, TestApp } from './utils/create-test-app';
import { bearer, decode, login } from './utils/auth';
import { freshDatabase } from './utils/database';

const dir = mkdtempSync(join(tmpdir(), 'task-api-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes a key pair as PEM files and returns their paths. */
function keyFiles(name: string, pair: { privateKey: KeyObject; publicKey: KeyObject }) {
  const priv = join(dir, `${name}.key.pem`);
  const pub = join(dir, `${name}.pub.pem`);
  writeFileSync(priv, pair.privateKey.export({ format: 'pem', type: 'pkcs8' }));
  writeFileSync(pub, pair.publicKey.export({ format: 'pem', type: 'spki' }));
  return { priv, pub, publicPem: pair.publicKey.export({ format: 'pem', type: 'spki' }) as string };
}

const rsa = keyFiles('rsa', generateKeyPairSync('rsa', { modulusLength: 2048 }));
const rsaNext = keyFiles('rsa-next', generateKeyPairSync('rsa', { modulusLength: 2048 }));
const ed = keyFiles('ed', generateKeyPairSync('ed25519'));
const ec = keyFiles('ec', generateKeyPairSync('ec', { namedCurve: 'prime256v1' }));
const headerOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString()) as Record<string, unknown>;
const segment = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * Verifies like another service would: only the JWKS URL, the issuer and the
 * audience, with jose; nothing of this service's code.
 */
async function verifyFromJwksUrl(t: TestApp, token: string) {
  await t.app.listen(0, '127.0.0.1');
  const { port } = t.app.getHttpServer().address() as AddressInfo;
  const jwks = createRemoteJWKSet(new URL(`http://127.0.0.1:${port}/.well-known/jwks.json`));
  return jwtVerify(token, jwks, { issuer: 'task-api', audience: 'task-api' });
}

// One application at a time: passport keeps its strategies in one process-wide registry.
describe.each([
  ['RS256', rsa, 'RSA'],
  ['EdDSA', ed, 'OKP'],
  ['ES256', ec, 'EC'],
])('%s keys (e2e)', (alg, files, kty) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ JWT_PRIVATE_KEY_FILE: files.priv, JWT_PUBLIC_KEY_FILE: files.pub });
  });
  afterAll(() => t.close());

  it('signs with the algorithm the key implies, with a kid, and the tokens work', async () => {
    const tokens = await login(t, ADMIN.username, ADMIN.password);
    const header = headerOf(tokens.access_token);
    expect(header).toMatchObject({ alg, kid: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    await t.http().get('/api/me').set(bearer(tokens.access_token)).expect(200);
    const refreshed = await t.http().post('/api/refresh').set(bearer(tokens.refresh_token)).expect(200);
    expect(headerOf(refreshed.body.access_token).alg).toBe(alg);
    await t.http().get('/api/me').set(bearer(refreshed.body.access_token)).expect(200);
  });

  it('publishes the public key, and only the public key, at /.well-known/jwks.json', async () => {
    const res = await t.http().get('/.well-known/jwks.json').expect(200);
    expect(res.headers['cache-control']).toBe('public, max-age=300');
    expect(res.body.keys).toHaveLength(1);
    const [jwk] = res.body.keys;
    expect(jwk).toMatchObject({ kty, alg, use: 'sig', kid: expect.any(String) });
    for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k']) expect(jwk).not.toHaveProperty(secret);
    const tokens = await login(t, ADMIN.username, ADMIN.password);
    expect(headerOf(tokens.access_token).kid).toBe(jwk.kid);
  });

  it('lets another service verify an issued token from the JWKS URL alone (jose)', async () => {
    const tokens = await login(t, ADMIN.username, ADMIN.password);
    const { payload, protectedHeader } = await verifyFromJwksUrl(t, tokens.access_token);
    expect(protectedHeader.alg).toBe(alg);
    expect(payload).toMatchObject({
      sub: decode(tokens.access_token).sub,
      type: 'access',
      iss: 'task-api',
      aud: 'task-api',
    });
  });

  it('refuses key confusion: an HS256 token signed with the public key as its secret', async () => {
    const tokens = await login(t, ADMIN.username, ADMIN.password);
    const { kid } = headerOf(tokens.access_token);
    const forged = sign(decode(tokens.access_token), files.publicPem, { algorithm: 'HS256', keyid: kid as string });
    const res = await t.http().get('/api/me').set(bearer(forged));
    expect(res.status).toBe(401);
    expect(res.body.message).toBe('Signature verification failed');
  });

  it.each([
    ['alg none', (h: Record<string, unknown>) => ({ ...h, alg: 'none' }), 'Signature verification failed'],
    [
      'an unknown kid',
      (h: Record<string, unknown>) => ({ ...h, kid: 'someone-elses-key' }),
      'Signature verification failed',
    ],
    [
      'a jku header',
      (h: Record<string, unknown>) => ({ ...h, jku: 'https://attacker.example/jwks.json' }),
      'Invalid token',
    ],
    [
      'an x5u header',
      (h: Record<string, unknown>) => ({ ...h, x5u: 'https://attacker.example/cert.pem' }),
      'Invalid token',
    ],
    ['an embedded jwk', (h: Record<string, unknown>) => ({ ...h, jwk: { kty: 'oct', k: 'AAAA' } }), 'Invalid token'],
    ['a crit header', (h: Record<string, unknown>) => ({ ...h, crit: ['exp'] }), 'Invalid token'],
  ])('refuses a token whose header has %s', async (_label, change, message) => {
    const tokens = await login(t, ADMIN.username, ADMIN.password);
    const [h, p, s] = tokens.access_token.split('.');
    const header = JSON.parse(Buffer.from(h, 'base64url').toString()) as Record<string, unknown>;
    const res = await t
      .http()
      .get('/api/me')
      .set(bearer(`${segment(change(header))}.${p}.${alg === 'none' ? '' : s}`));
    expect(res.status).toBe(401);
    expect(res.body.message).toBe(message);
  });

  it('refuses a token signed by another key of the same kind', async () => {
    const tokens = await login(t, ADMIN.username, ADMIN.password);
    const other =
      alg === 'RS256'
        ? rsaNext
        : alg === 'EdDSA'
          ? keyFiles('ed-other', generateKeyPairSync('ed25519'))
          : keyFiles('ec-other', generateKeyPairSync('ec', { namedCurve: 'prime256v1' }));
    const [h, p] = tokens.access_token.split('.');
    const key = createPrivateKey(readFileSync(other.priv));
    const data = Buffer.from(`${h}.${p}`);
    const sig =
      alg === 'EdDSA'
        ? rawSign(null, data, key)
        : alg === 'ES256'
          ? rawSign('sha256', data, { key, dsaEncoding: 'ieee-p1363' })
          : rawSign('sha256', data, key);
    const res = await t
      .http()
      .get('/api/me')
      .set(bearer(`${h}.${p}.${sig.toString('base64url')}`));
    expect(res.status).toBe(401);
    expect(res.body.message).toBe('Signature verification failed');
  });
});

describe('Key rotation (e2e)', () => {
  const dbDir = mkdtempSync(join(tmpdir(), 'task-api-rotation-'));
  let shared: { DATABASE_URL: string };
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const db = await freshDatabase(dbDir, 'shared');
    shared = { DATABASE_URL: db.url };
    drop = db.drop;
  });
  afterAll(async () => {
    await drop();
    rmSync(dbDir, { recursive: true, force: true });
  });

  it('keeps tokens signed with a previous key working, and publishes both keys, until the old key is dropped', async () => {
    const before = await createTestApp({ ...shared, JWT_PRIVATE_KEY_FILE: rsa.priv, JWT_PUBLIC_KEY_FILE: rsa.pub });
    const old = await login(before, ADMIN.username, ADMIN.password);
    const oldKid = headerOf(old.access_token).kid;
    const secret = before.env.JWT_SECRET;
    await before.app.close();

    const rotated = await createTestApp({
      ...shared,
      JWT_SECRET: secret,
      JWT_PRIVATE_KEY_FILE: rsaNext.priv,
      JWT_PUBLIC_KEY_FILE: rsaNext.pub,
      JWT_PREVIOUS_PUBLIC_KEY_FILES: rsa.pub,
    });
    try {
      await rotated.http().get('/api/me').set(bearer(old.access_token)).expect(200);
      await rotated.http().post('/api/refresh').set(bearer(old.refresh_token)).expect(200);
      const jwks = await rotated.http().get('/.well-known/jwks.json').expect(200);
      const kids = (jwks.body.keys as Array<{ kid: string }>).map((k) => k.kid);
      expect(kids).toHaveLength(2);
      expect(kids[1]).toBe(oldKid);
      const fresh = await login(rotated, ADMIN.username, ADMIN.password);
      expect(headerOf(fresh.access_token).kid).toBe(kids[0]);
      expect((await verifyFromJwksUrl(rotated, old.access_token)).protectedHeader.kid).toBe(oldKid);
    } finally {
      await rotated.app.close();
    }

    const dropped = await createTestApp({
      ...shared,
      JWT_SECRET: secret,
      JWT_PRIVATE_KEY_FILE: rsaNext.priv,
      JWT_PUBLIC_KEY_FILE: rsaNext.pub,
    });
    try {
      const res = await dropped.http().get('/api/me').set(bearer(old.access_token));
      expect(res.status).toBe(401);
      expect(res.body.message).toBe('Signature verification failed');
    } finally {
      await dropped.app.close();
    }
  });
});

describe('Under HS256 (e2e)', () => {
  it('serves no JWKS: 404 in the error shape', async () => {
    const t = await createTestApp();
    try {
      const res = await t.http().get('/.well-known/jwks.json');
      expect(res.status).toBe(404);
      expect(res.body).toEqual({
        statusCode: 404,
        error: 'Not Found',
        message: 'No public keys: tokens are signed with HS256',
      });
      const tokens = await login(t, ADMIN.username, ADMIN.password);
      expect(headerOf(tokens.access_token)).toEqual({ alg: 'HS256', typ: 'JWT' });
    } finally {
      await t.close();
    }
  });
});
