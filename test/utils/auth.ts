import { sign, SignOptions } from 'jsonwebtoken';
import { randomBytes, randomUUID } from 'node:crypto';
import { ADMIN, STRONG_PASSWORD, TestApp } from './create-test-app';

export interface Tokens {
  access_token: string;
  refresh_token: string;
  token_type: string;
  expires_in: number;
}

/** The contract's token answer for a bearer client. */
export const TOKEN_RESPONSE = {
  access_token: expect.any(String) as unknown,
  refresh_token: expect.any(String) as unknown,
  token_type: 'Bearer',
  expires_in: 900,
};

// Jest reloads this module for each spec file, so the counter restarts while the
// worker (and its pid) stays: the random tag keeps names apart across files, which
// matters when the files share one Redis of login-failure counters.
const fileTag = randomBytes(3).toString('hex');
let counter = 0;
/** A username no other test in this run uses (at most 32 characters for a prefix of up to 8). */
export const uniqueName = (prefix = 'user') => `${prefix}${fileTag}_${++counter}`;

export async function register(t: TestApp, username = uniqueName(), password = STRONG_PASSWORD) {
  const res = await t.http().post('/api/register').send({ username, password }).expect(201);
  return res.body as { id: number; username: string; role: string; created_at: string };
}

export async function login(t: TestApp, username: string, password = STRONG_PASSWORD): Promise<Tokens> {
  const res = await t.http().post('/api/login').send({ username, password }).expect(200);
  return res.body as Tokens;
}

/** Registers a fresh user (or logs in the bootstrapped admin) and returns its tokens and id. */
export async function loginAs(t: TestApp, role: 'user' | 'admin') {
  if (role === 'admin') {
    const tokens = await login(t, ADMIN.username, ADMIN.password);
    const me = await t.http().get('/api/me').set('Authorization', `Bearer ${tokens.access_token}`).expect(200);
    return { ...tokens, id: (me.body as { id: number }).id, username: ADMIN.username };
  }
  const user = await register(t);
  return { ...(await login(t, user.username)), id: user.id, username: user.username };
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

export const decode = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as Record<string, unknown>;

/** Signs claims with the test app's own secret, for tokens the service would never issue. */
export function forge(t: TestApp, claims: Record<string, unknown>, options: SignOptions = {}): string {
  return sign({ jti: randomUUID(), ...claims }, t.env.JWT_SECRET, {
    algorithm: 'HS256',
    issuer: t.env.JWT_ISSUER ?? 'task-api',
    audience: t.env.JWT_AUDIENCE ?? 'task-api',
    expiresIn: 300,
    ...options,
  });
}

/** Replaces one JWT segment with base64url of the given JSON or raw text. */
export function withSegment(token: string, index: 0 | 1 | 2, value: unknown): string {
  const parts = token.split('.');
  parts[index] = typeof value === 'string' ? value : Buffer.from(JSON.stringify(value)).toString('base64url');
  return parts.join('.');
}
