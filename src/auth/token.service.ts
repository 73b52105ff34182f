import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
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

/** Signs access and refresh tokens; JwtModule pins the algorithm, key, issuer and audience. */
@Injectable()
export class TokenService {
  constructor(
    private readonly jwt: JwtService,
    @Inject(authConfig.KEY) private readonly config: ConfigType<typeof authConfig>,
  ) {}

  /** A fresh jti for the next refresh token of a session. */
  newJti(): string {
    return randomUUID();
  }

  issue(user: { id: number; role: Role }, sessionId: string, refreshJti: string, fresh: boolean): TokenPair {
    const sub = String(user.id);
    const accessToken = this.jwt.sign(
      { sub, role: user.role, type: 'access', jti: randomUUID(), sid: sessionId, fresh },
      { expiresIn: this.config.accessTtl },
    );
    const refreshToken = this.jwt.sign(
      { sub, type: 'refresh', jti: refreshJti, sid: sessionId },
      { expiresIn: this.config.refreshTtl },
    );
    return { accessToken, refreshToken, expiresIn: this.config.accessTtl, refreshExpiresIn: this.config.refreshTtl };
  }
}
