import { UnauthorizedException } from '@nestjs/common';

/** The contract's authentication messages (docs/API.md, "Errors"). */
export const TokenMessage = {
  missingHeader: 'Missing Authorization Header',
  notBearer: "Missing 'Bearer' type in 'Authorization' header",
  invalid: 'Invalid token',
  badSignature: 'Signature verification failed',
  expired: 'Token has expired',
  accessOnly: 'Only access tokens are allowed',
  refreshOnly: 'Only refresh tokens are allowed',
  revoked: 'Token has been revoked',
  fresh: 'Fresh token required',
  badCredentials: 'Invalid credentials',
} as const;

/** jsonwebtoken's verify errors that mean the signature or algorithm is wrong. */
const SIGNATURE_ERRORS = new Set(['invalid signature', 'invalid algorithm', 'jwt signature is required']);

/** Maps what passport-jwt / jsonwebtoken report to the contract's message. */
export function tokenError(info: unknown): UnauthorizedException {
  if (info instanceof UnauthorizedException) return info;
  const err = info as { name?: string; message?: string } | undefined;
  if (err?.name === 'TokenExpiredError') return new UnauthorizedException(TokenMessage.expired);
  if (err?.name === 'JsonWebTokenError' && SIGNATURE_ERRORS.has(err.message ?? '')) {
    return new UnauthorizedException(TokenMessage.badSignature);
  }
  return new UnauthorizedException(TokenMessage.invalid);
}
