import { JsonWebTokenError } from 'jsonwebtoken';
import { ExtractJwt, JwtFromRequestFunction, StrategyOptionsWithRequest } from 'passport-jwt';
import { RequestLike } from 'src/auth/guards/cookies';
import { JwtKeys } from 'src/auth/jwt-keys';
import 'src/auth/strategies/jwt-verifier';

const fromBearer = ExtractJwt.fromAuthHeaderAsBearerToken();

/** Header fields that point at keys elsewhere; trusting one lets a token choose its own key. */
const FORBIDDEN_HEADERS = ['jku', 'x5u', 'jwk', 'x5c', 'crit'];

/** The bearer header when there is one (it wins), else the named cookie. */
export function headerThenCookie(cookie: string): JwtFromRequestFunction {
  return (req) => {
    const r = req as unknown as RequestLike;
    if (r.headers.authorization !== undefined) return fromBearer(req);
    return r.cookies?.[cookie] ?? null;
  };
}

/** Picks the verification key by `kid`; a malformed header or a key pointer in it is refused before any crypto. */
export function keyFor(keys: JwtKeys, rawToken: string): { key?: unknown; error?: Error } {
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(rawToken.split('.')[0], 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return { error: new JsonWebTokenError('jwt malformed') };
  }
  if (typeof header !== 'object' || header === null || rawToken.split('.').length !== 3)
    return { error: new JsonWebTokenError('jwt malformed') };
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
