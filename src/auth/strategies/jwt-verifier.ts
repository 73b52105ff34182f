import { KeyObject } from 'node:crypto';
import { errors as joseErrors, jwtVerify } from 'jose';
import { JsonWebTokenError, NotBeforeError, TokenExpiredError, verify, VerifyOptions } from 'jsonwebtoken';
import { Strategy } from 'passport-jwt';

type Done = (error: Error | null, payload?: unknown) => void;

/**
 * passport-jwt verifies through `Strategy.JwtVerifier(token, key, options, done)`,
 * which calls jsonwebtoken. jsonwebtoken has no EdDSA, so this stateless
 * dispatcher, installed once, sends EdDSA tokens to jose and everything else to
 * jsonwebtoken exactly as before. It uses only the arguments each strategy
 * passes (key, pinned algorithms, issuer, audience).
 */
export function verifyJwt(token: string, key: KeyObject, options: VerifyOptions, done: Done): void {
  if (!options.algorithms?.includes('EdDSA' as never)) {
    verify(token, key, options, done);
    return;
  }
  jwtVerify(token, key, {
    algorithms: ['EdDSA'],
    issuer: options.issuer as string,
    audience: options.audience as string,
    clockTolerance: 0,
  }).then(
    ({ payload }) => done(null, payload),
    (error: unknown) => done(asJsonWebTokenError(error)),
  );
}

/** jose's errors as the jsonwebtoken ones the guard maps to the contract's messages. */
function asJsonWebTokenError(error: unknown): Error {
  if (error instanceof joseErrors.JWTExpired) return new TokenExpiredError('jwt expired', new Date());
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return new JsonWebTokenError('invalid signature');
  if (error instanceof joseErrors.JOSEAlgNotAllowed || error instanceof joseErrors.JOSENotSupported) {
    return new JsonWebTokenError('invalid algorithm');
  }
  if (error instanceof joseErrors.JWTClaimValidationFailed && error.claim === 'nbf')
    return new NotBeforeError('jwt not active', new Date());
  return new JsonWebTokenError('jwt malformed');
}

(Strategy as unknown as { JwtVerifier: typeof verifyJwt }).JwtVerifier = verifyJwt;
