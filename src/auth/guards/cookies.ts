import { UnauthorizedException } from '@nestjs/common';
import { createHmac, KeyObject, randomBytes, timingSafeEqual } from 'node:crypto';

/** Cookie transport for browsers (docs/API.md, "Tokens"). */
export const ACCESS_COOKIE = 'access_token';
export const REFRESH_COOKIE = 'refresh_token';
export const CSRF_COOKIE = 'csrf_token';
export const CSRF_HEADER = 'x-csrf-token';
export const ACCESS_COOKIE_PATH = '/api';
export const REFRESH_COOKIE_PATH = '/api/refresh';
export const CSRF_COOKIE_PATH = '/';

export const CsrfMessage = {
  missing: 'Missing CSRF token',
  mismatch: 'CSRF double submit tokens do not match',
} as const;

export type Transport = 'bearer' | 'cookie';

export interface RequestLike {
  method: string;
  ip?: string;
  /** The request id Fastify gave the request. */
  id: string;
  headers: Record<string, string | string[] | undefined>;
  cookies?: Record<string, string | undefined>;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The header wins when a request carries both a bearer header and cookies. */
export function transportOf(req: RequestLike, cookie: string): Transport | null {
  if (req.headers.authorization !== undefined) return 'bearer';
  return req.cookies?.[cookie] ? 'cookie' : null;
}

/**
 * A CSRF token bound to its session: `nonce.HMAC(key, sid.nonce)`. Plain double
 * submit trusts any cookie value; binding it to the session means a value
 * planted from a sibling subdomain does not verify. Written by hand: the
 * contract's echo-the-cookie scheme is not what @fastify/csrf-protection does.
 */
export function issueCsrfToken(key: KeyObject, sessionId: string): string {
  const nonce = randomBytes(16).toString('base64url');
  return `${nonce}.${mac(key, sessionId, nonce)}`;
}

/** Double submit for a cookie-authenticated unsafe request; throws the contract's 401s. */
export function checkCsrf(req: RequestLike, key: KeyObject, sessionId: string): void {
  if (SAFE_METHODS.has(req.method)) return;
  const header = req.headers[CSRF_HEADER];
  if (typeof header !== 'string' || header === '') throw new UnauthorizedException(CsrfMessage.missing);
  const cookie = req.cookies?.[CSRF_COOKIE];
  if (!cookie || !equal(header, cookie)) throw new UnauthorizedException(CsrfMessage.mismatch);
  const [nonce, tag, ...rest] = cookie.split('.');
  if (!nonce || !tag || rest.length > 0 || !equal(tag, mac(key, sessionId, nonce))) {
    throw new UnauthorizedException(CsrfMessage.mismatch);
  }
}

function mac(key: KeyObject, sessionId: string, nonce: string): string {
  return createHmac('sha256', key).update(`${sessionId}.${nonce}`).digest('base64url');
}

function equal(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
