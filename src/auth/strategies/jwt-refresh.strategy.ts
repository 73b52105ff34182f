import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-jwt';
import { JwtKeys } from 'src/auth/jwt-keys';
import { strategyOptions } from 'src/auth/strategies/jwt-options';
import { checkClaims, RefreshClaims } from 'src/auth/token-claims';

/** Refresh tokens at /api/refresh: verified like access tokens; rotation is AuthService's. */
@Injectable()
export class JwtRefreshStrategy extends PassportStrategy(Strategy, 'jwt-refresh') {
  constructor(keys: JwtKeys) {
    super(strategyOptions(keys));
  }

  validate(payload: unknown): RefreshClaims {
    return checkClaims(payload, 'refresh');
  }
}
