import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-jwt';
import { checkCsrf, REFRESH_COOKIE, RequestLike, Transport, transportOf } from 'src/auth/guards/cookies';
import { JwtKeys } from 'src/auth/jwt-keys';
import { strategyOptions } from 'src/auth/strategies/jwt-options';
import { RequestOrigin } from 'src/audit/audit.service';
import { checkClaims, RefreshClaims } from 'src/auth/token-claims';

export interface RefreshPrincipal extends RefreshClaims, RequestOrigin {
  transport: Transport;
}

/** Refresh tokens at /api/refresh, from the header or the refresh cookie; rotation is AuthService's. */
@Injectable()
export class JwtRefreshStrategy extends PassportStrategy(Strategy, 'jwt-refresh') {
  constructor(private readonly keys: JwtKeys) {
    super(strategyOptions(keys, REFRESH_COOKIE));
  }

  validate(req: RequestLike, payload: unknown): RefreshPrincipal {
    const claims = checkClaims(payload, 'refresh');
    const transport = transportOf(req, REFRESH_COOKIE) ?? 'bearer';
    if (transport === 'cookie') checkCsrf(req, this.keys.csrfKey, claims.sid);
    return { ...claims, transport, ip: req.ip ?? '', reqId: req.id };
  }
}
