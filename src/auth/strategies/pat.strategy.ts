import { Injectable, Logger, UnauthorizedException } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-http-bearer';
import type { AuthUser } from 'src/auth/auth-user';
import type { RequestLike } from 'src/auth/guards/cookies';
import { TokenMessage } from 'src/auth/guards/token-errors';
import { TokenAttemptsService } from 'src/throttling/token-attempts.service';
import { isWellFormed, TokenHasher } from 'src/tokens/token-secret';
import { TokensService } from 'src/tokens/tokens.service';

/**
 * Personal access tokens (`Authorization: Bearer tapi_pat_…`), beside the JWT
 * strategy: the global guard sends a credential with the token prefix here.
 * Unknown tokens count towards a per-address limit checked before any lookup;
 * revocation and expiry are read from the database (or a cache emptied by any
 * commit) on every request.
 */
@Injectable()
export class PatStrategy extends PassportStrategy(Strategy, 'pat') {
  private readonly logger = new Logger(PatStrategy.name);

  constructor(
    private readonly tokens: TokensService,
    private readonly attempts: TokenAttemptsService,
  ) {
    super({ passReqToCallback: true });
  }

  async validate(req: RequestLike, secret: string): Promise<AuthUser> {
    const ip = req.ip ?? '';
    await this.attempts.assertAllowed(ip);
    const hash = isWellFormed(secret) ? this.tokens.hasher.hash(secret) : null;
    const found = hash === null ? null : await this.tokens.findByHash(hash);
    if (!found || !TokenHasher.same(hash as string, found.tokenHash)) {
      await this.attempts.recordFailure(ip);
      throw new UnauthorizedException(TokenMessage.invalid);
    }
    if (found.revokedAt !== null) throw new UnauthorizedException(TokenMessage.revoked);
    if (found.expiresAt.getTime() <= Date.now()) throw new UnauthorizedException(TokenMessage.expired);
    const origin = { ip, reqId: req.id, userAgent: String(req.headers['user-agent'] ?? '') };
    // Not awaited: recording use must not slow the request, but a failure is logged, not lost.
    void this.tokens
      .touch(found, origin)
      .catch((error: unknown) => this.logger.warn(`Could not record token use: ${(error as Error).message}`));
    return {
      id: found.userId,
      username: found.username,
      role: found.role,
      createdAt: found.userCreatedAt,
      sessionId: '',
      fresh: false,
      transport: 'bearer',
      personalToken: { id: found.tokenId, scopes: found.scopes },
      ...origin,
    };
  }
}
