import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { InjectThrottlerStorage, type ThrottlerStorage } from '@nestjs/throttler';
import { AuditService } from 'src/audit/audit.service';
import type { AuthUser } from 'src/auth/auth-user';
import { authConfig } from 'src/config/auth.config';
import { TooManyRequestsException } from 'src/common/http/retry-later';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);
const WINDOW_MS = 60_000;

/**
 * WRITE_RATE_LIMIT_PER_MINUTE authenticated writes (POST, PUT, PATCH, DELETE) per
 * user per minute; beyond it 429 with Retry-After. Global, after the JWT guard:
 * it counts by the user the access token proved, in @nestjs/throttler's storage
 * (Redis with REDIS_URL, so every instance shares the count). Open routes are
 * left to the per-address limit.
 */
@Injectable()
export class UserWriteThrottlerGuard implements CanActivate {
  constructor(
    @Inject(authConfig.KEY) private readonly config: ConfigType<typeof authConfig>,
    @InjectThrottlerStorage() private readonly storage: ThrottlerStorage,
    private readonly audit: AuditService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<{ method: string; url?: string; user?: AuthUser }>();
    const user = req.user;
    if (!user || READS.has(req.method)) return true;
    const limit = this.config.writeRateLimitPerMinute;
    const { totalHits, isBlocked, timeToBlockExpire } = await this.storage.increment(
      `user-writes:${user.id}`,
      WINDOW_MS,
      limit,
      WINDOW_MS,
      'user-writes',
    );
    if (!isBlocked) return true;
    this.audit.record('rate_limit.throttled', user, {
      userId: user.id,
      route: req.url?.split('?')[0],
      hits: totalHits,
    });
    throw new TooManyRequestsException(timeToBlockExpire);
  }
}
