import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';
import { SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';
import { JwtKeys } from 'src/auth/jwt-keys';
import { authConfig } from 'src/config/auth.config';
import { ClientInfo, SessionsService } from 'src/sessions/sessions.service';
import { Role } from 'src/auth/role.enum';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  /** Access-token lifetime, seconds. */
  expiresIn: number;
  /** Refresh-token lifetime, seconds. */
  refreshExpiresIn: number;
}

type Subject = { id: number; role: Role };

/** Sessions' tokens: opens a session with its first pair, rotates and replaces its refresh token, signs. */
@Injectable()
export class TokenService {
  constructor(
    private readonly jwt: JwtService,
    private readonly keys: JwtKeys,
    private readonly sessions: SessionsService,
    @Inject(authConfig.KEY) private readonly config: ConfigType<typeof authConfig>,
  ) {}

  /** A new session and its first, fresh, token pair (a password login). */
  async openSession(user: Subject, client: ClientInfo): Promise<{ sessionId: string; pair: TokenPair }> {
    const refreshJti = randomUUID();
    const session = await this.sessions.create(user.id, refreshJti, this.config.refreshTtl, client);
    return { sessionId: session.id, pair: await this.issue(user, session.id, refreshJti, true) };
  }

  /** The next pair if `presentedJti` is the session's current refresh token, else null (reuse, or a dead session). */
  async rotate(user: Subject, sessionId: string, presentedJti: string): Promise<TokenPair | null> {
    const nextJti = randomUUID();
    if (!(await this.sessions.rotate(sessionId, presentedJti, nextJti, this.config.refreshTtl))) return null;
    return this.issue(user, sessionId, nextJti, false);
  }

  /** A new fresh pair for a live session whatever refresh token it had (after a password change); null if it is gone. */
  async replace(user: Subject, sessionId: string): Promise<TokenPair | null> {
    const nextJti = randomUUID();
    if (!(await this.sessions.replaceRefreshToken(sessionId, nextJti, this.config.refreshTtl))) return null;
    return this.issue(user, sessionId, nextJti, true);
  }

  private async issue(user: Subject, sessionId: string, refreshJti: string, fresh: boolean): Promise<TokenPair> {
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
