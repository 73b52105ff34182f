import { JsonWebTokenError } from 'jsonwebtoken';
import { ExtractJwt, JwtFromRequestFunction, StrategyOptionsWithRequest } from 'passport-jwt';
import { RequestLike } from 'src/auth/guards/cookies';
import { JwtKeys } from 'src/auth/jwt-keys';
import { claimsWellFormed } from 'src/auth/token-claims';
import { bearerProblem } from 'src/auth/guards/jwt-auth.guard';
import 'src/auth/strategies/jwt-verifier';

const fromBearer = ExtractJwt.fromAuthHeaderAsBearerToken();

/** Header fields that point at keys elsewhere; trusting one lets a token choose its own key. */
const FORBIDDEN_HEADERS = ['jku', 'x5u', 'jwk', 'x5c', 'crit'];

/**
 * The bearer header when there is one (it wins), else the named cookie. A header that is not
 * exactly `Bearer <token>` yields no token: passport-jwt's own parser would take `Bearer <token> junk`.
 */
export function headerThenCookie(cookie: string): JwtFromRequestFunction {
  return (req) => {
    const r = req as unknown as RequestLike;
    if (r.headers.authorization !== undefined) return bearerProblem(r.headers) ? null : fromBearer(req);
    return r.cookies?.[cookie] ?? null;
  };
}

/** A base64url segment's JSON object, or null. */
function segmentObject(segment: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/**
 * Picks the verification key by `kid`, before any crypto, keeping the contract's row order:
 * a malformed token (segments, base64, JSON, a required claim missing or mistyped) is "Invalid token"; then another algorithm is
 * "Signature verification failed", even when the header also points at a key; then a key pointer
 * is "Invalid token"; then an unknown `kid` is a failed signature.
 */
export function keyFor(keys: JwtKeys, rawToken: string): { key?: unknown; error?: Error } {
  const segments = rawToken.split('.');
  const header = segments.length === 3 ? segmentObject(segments[0]) : null;
  const payload = header ? segmentObject(segments[1]) : null;
  if (!header || !payload || !claimsWellFormed(payload)) return { error: new JsonWebTokenError('jwt malformed') };
  if (header.alg !== keys.algorithm) return { error: new JsonWebTokenError('invalid algorithm') };
  if (FORBIDDEN_HEADERS.some((name) => name in header)) return { error: new JsonWebTokenError('jwt malformed') };
  const key = keys.verificationKey(header.kid);
  return key ? { key } : { error: new JsonWebTokenError('invalid signature') };
}

/** Options both strategies verify with: one algorithm, the issuer and the audience pinned. */
export function strategyOptions(keys: JwtKeys, cookie: string): StrategyOptionsWithRequest {
  return {
    jwtFromRequest: headerThenCookie(cookie),
    secretOrKeyProvider: (_req, rawToken: string, done) => {
      const { key, error } = keyFor(keys, rawToken);
      done(error ?? null, key as string);
    },
    algorithms: [keys.algorithm as 'HS256'],
    issuer: keys.issuer,
    audience: keys.audience,
    ignoreExpiration: false,
    jsonWebTokenOptions: { clockTolerance: 0 },
    passReqToCallback: true,
  };
}
