import { ExtractJwt, JwtFromRequestFunction, StrategyOptionsWithRequest } from 'passport-jwt';
import { RequestLike } from 'src/auth/cookies';
import { JwtKeys } from 'src/auth/jwt-keys';

const fromBearer = ExtractJwt.fromAuthHeaderAsBearerToken();

/** The bearer header when there is one (it wins), else the named cookie. */
export function headerThenCookie(cookie: string): JwtFromRequestFunction {
  return (req) => {
    const r = req as unknown as RequestLike;
    if (r.headers.authorization !== undefined) return fromBearer(req);
    return r.cookies?.[cookie] ?? null;
  };
}

/** Options both strategies verify with: one algorithm, the issuer and the audience pinned. */
export function strategyOptions(keys: JwtKeys, cookie: string): StrategyOptionsWithRequest {
  return {
    jwtFromRequest: headerThenCookie(cookie),
    secretOrKey: keys.verifyKey as unknown as string,
    algorithms: [keys.algorithm],
    issuer: keys.issuer,
    audience: keys.audience,
    ignoreExpiration: false,
    jsonWebTokenOptions: { clockTolerance: 0 },
    passReqToCallback: true,
  };
}
