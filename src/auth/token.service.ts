import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';
import { SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';
import { JwtKeys } from 'src/auth/jwt-keys';
import { authConfig } from 'src/config/auth.config';
import { Role } from 'src/users/role.enum';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  /** Access-token lifetime, seconds. */
  expiresIn: number;
  /** Refresh-token lifetime, seconds. */
  refreshExpiresIn: number;
}

/** Signs access and refresh tokens with the configured algorithm, key, issuer and audience. */
@Injectable()
export class TokenService {
  constructor(
    private readonly jwt: JwtService,
    private readonly keys: JwtKeys,
    @Inject(authConfig.KEY) private readonly config: ConfigType<typeof authConfig>,
  ) {}

  /** A fresh jti for the next refresh token of a session. */
  newJti(): string {
    return randomUUID();
  }

  async issue(
    user: { id: number; role: Role },
    sessionId: string,
    refreshJti: string,
    fresh: boolean,
  ): Promise<TokenPair> {
    const sub = String(user.id);
    const [accessToken, refreshToken] = await Promise.all([
      this.sign(
        { sub, role: user.role, type: 'access', jti: randomUUID(), sid: sessionId, fresh },
        this.config.accessTtl,
      ),
      this.sign({ sub, type: 'refresh', jti: refreshJti, sid: sessionId }, this.config.refreshTtl),
    ]);
    return { accessToken, refreshToken, expiresIn: this.config.accessTtl, refreshExpiresIn: this.config.refreshTtl };
  }

  private async sign(claims: Record<string, unknown>, ttlSeconds: number): Promise<string> {
    if (this.keys.algorithm !== 'EdDSA') return this.jwt.sign(claims, { expiresIn: ttlSeconds });
    // jsonwebtoken (behind JwtService) has no EdDSA.
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT', kid: this.keys.kid })
      .setIssuedAt(now)
      .setExpirationTime(now + ttlSeconds)
      .setIssuer(this.keys.issuer)
      .setAudience(this.keys.audience)
      .sign(this.keys.signKey);
  }
}
