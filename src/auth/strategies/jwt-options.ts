import { ExtractJwt, StrategyOptionsWithoutRequest } from 'passport-jwt';
import { JwtKeys } from 'src/auth/jwt-keys';

/** Options both strategies verify with: one algorithm, the issuer and the audience pinned. */
export function strategyOptions(keys: JwtKeys): StrategyOptionsWithoutRequest {
  return {
    jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
    secretOrKey: keys.verifyKey as unknown as string,
    algorithms: [keys.algorithm],
    issuer: keys.issuer,
    audience: keys.audience,
    ignoreExpiration: false,
    jsonWebTokenOptions: { clockTolerance: 0 },
  };
}
