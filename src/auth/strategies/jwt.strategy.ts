import { Injectable, Logger, UnauthorizedException } from '@nestjs/common';
import { Outages } from 'src/common/dependencies/outages';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-jwt';
import { AuthUser } from 'src/auth/auth-user';
import { ACCESS_COOKIE, checkCsrf, RequestLike, transportOf } from 'src/auth/guards/cookies';
import { JwtKeys } from 'src/auth/jwt-keys';
import { strategyOptions } from 'src/auth/strategies/jwt-options';
import { checkClaims } from 'src/auth/token-claims';
import { TokenMessage } from 'src/auth/guards/token-errors';
import { SessionsService } from 'src/sessions/sessions.service';

/**
 * Access tokens, from the bearer header or the access cookie. After passport-jwt
 * has verified signature and times, one indexed query loads the session and
 * user, so a logout, a role change or a deleted user is refused on the very next request.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  private readonly logger = new Logger(JwtStrategy.name);

  constructor(
    private readonly keys: JwtKeys,
    private readonly sessions: SessionsService,
    private readonly outages: Outages,
  ) {
    super(strategyOptions(keys, ACCESS_COOKIE));
  }

  async validate(req: RequestLike, payload: unknown): Promise<AuthUser> {
    const claims = checkClaims(payload, 'access');
    const transport = transportOf(req, ACCESS_COOKIE) ?? 'bearer';
    if (transport === 'cookie') checkCsrf(req, this.keys.csrfKey, claims.sid);
    const found = await this.sessions.findWithUser(claims.sid, Number(claims.sub));
    if (!found || !this.sessions.isActive(found)) throw new UnauthorizedException(TokenMessage.revoked);
    // Not awaited: recording last use must not slow the request, but a failure is logged, not lost.
    void this.sessions.touch(found).catch((error: unknown) => {
      if (!this.outages.absorbed(error)) this.logger.warn(`Could not record session use: ${(error as Error).message}`);
    });
    return {
      id: found.userId,
      username: found.username,
      role: found.role,
      createdAt: found.userCreatedAt,
      sessionId: found.sessionId,
      fresh: claims.fresh,
      transport,
      ip: req.ip ?? '',
      reqId: req.id,
    };
  }
}
