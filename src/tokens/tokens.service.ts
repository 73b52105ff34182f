import {
  BadRequestException,
  ConflictException,
  ForbiddenException,
  Inject,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { randomUUID } from 'node:crypto';
import { AuditService, RequestOrigin } from 'src/audit/audit.service';
import type { AuthUser } from 'src/auth/auth-user';
import { ADMIN_SCOPES } from 'src/auth/scope.enum';
import { GenerationCache } from 'src/common/generation-cache';
import { Page, PaginationQueryDto } from 'src/common/dto/pagination-query.dto';
import { ADMIN_REQUIRED } from 'src/auth/guards/roles.guard';
import { authConfig } from 'src/config/auth.config';
import { DatabaseChanges } from 'src/database/database-changes';
import { CreateTokenDto } from 'src/tokens/dto/create-token.dto';
import {
  CreatedPersonalAccessTokenResponse,
  PersonalAccessTokenResponse,
  toPersonalAccessTokenResponse,
} from 'src/tokens/dto/token-response.dto';
import { TokensRepository, TokenWithUser } from 'src/tokens/tokens.repository';
import { newSecret, TokenHasher } from 'src/tokens/token-secret';
import { Role } from 'src/auth/role.enum';

export const TOKEN_NOT_FOUND = 'Token not found';
export const TOO_MANY_TOKENS = 'Too many personal access tokens: revoke one first';
/** Live tokens one user may hold. */
export const MAX_LIVE_TOKENS = 50;

const DAY_MS = 24 * 3600 * 1000;
/** How stale last_used_at may get before a request writes it again (keeps reads read-only). */
const TOUCH_INTERVAL_MS = 60_000;
/** How long a revoked or expired token is kept (for the record) before pruning. */
const ENDED_RETENTION_MS = DAY_MS;
/** Tokens kept in memory by findByHash (about 300 bytes each). */
const CACHED_TOKENS = 10_000;

export type { TokenWithUser } from 'src/tokens/tokens.repository';

@Injectable()
export class TokensService {
  private readonly cache = new GenerationCache<TokenWithUser>(CACHED_TOKENS);
  readonly hasher: TokenHasher;

  constructor(
    private readonly tokens: TokensRepository,
    @Inject(authConfig.KEY) private readonly config: ConfigType<typeof authConfig>,
    private readonly changes: DatabaseChanges,
    private readonly audit: AuditService,
  ) {
    this.hasher = new TokenHasher(config.patHashKey, config.jwtSecret);
  }

  /** A new token for the caller; the secret is in this answer and nowhere else. */
  async create(caller: AuthUser, dto: CreateTokenDto): Promise<CreatedPersonalAccessTokenResponse> {
    if (dto.expires_in_days > this.config.patMaxTtlDays) {
      throw new BadRequestException([`expires_in_days must not be greater than ${this.config.patMaxTtlDays}`]);
    }
    if (caller.role !== Role.Admin && dto.scopes.some((s) => ADMIN_SCOPES.includes(s)))
      throw new ForbiddenException(ADMIN_REQUIRED);
    const now = new Date();
    const live = await this.tokens.countOwnedLive(caller.id, now);
    if (live >= MAX_LIVE_TOKENS) throw new ConflictException(TOO_MANY_TOKENS);
    const secret = newSecret();
    const token = await this.tokens.save(
      this.tokens.create({
        id: randomUUID(),
        userId: caller.id,
        name: dto.name,
        tokenHash: this.hasher.hash(secret),
        scopes: dto.scopes.join(' '),
        createdAt: now,
        expiresAt: new Date(now.getTime() + dto.expires_in_days * DAY_MS),
        lastUsedAt: null,
        revokedAt: null,
      }),
    );
    this.audit.record('pat.created', caller, {
      userId: caller.id,
      actorId: caller.id,
      tokenId: token.id,
      scopes: token.scopes,
    });
    return { ...toPersonalAccessTokenResponse(token), token: secret };
  }

  /** The caller's live tokens, oldest first. */
  async listActive(userId: number, query: PaginationQueryDto): Promise<Page<PersonalAccessTokenResponse>> {
    return (await this.tokens.pageOwnedLive(userId, query, new Date())).map(toPersonalAccessTokenResponse);
  }

  /** Revokes a live token of the caller's, or any user's for an admin; anything else is 404. */
  async revoke(caller: AuthUser, id: string): Promise<void> {
    const token = await this.tokens.findUnrevoked(id);
    if (!token || (token.userId !== caller.id && caller.role !== Role.Admin))
      throw new NotFoundException(TOKEN_NOT_FOUND);
    if (!(await this.tokens.revoke(id, new Date()))) throw new NotFoundException(TOKEN_NOT_FOUND);
    this.audit.record('pat.revoked', caller, { userId: token.userId, actorId: caller.id, tokenId: id });
  }

  /** Revokes every live token of a user (a role or password change). */
  revokeAllForUser(userId: number): Promise<void> {
    return this.tokens.revokeAllForUser(userId, new Date());
  }

  /**
   * The token with this hash and its user, from the cache when nothing has been
   * committed to the database (by any instance) since it was read; else one indexed query.
   */
  async findByHash(tokenHash: string): Promise<TokenWithUser | null> {
    const generation = this.changes.generation();
    const cached = generation === null ? undefined : this.cache.get(tokenHash, generation);
    if (cached) return cached;
    const found = await this.tokens.findWithUser(tokenHash);
    if (found && generation !== null) this.cache.set(tokenHash, found, generation);
    return found;
  }

  /** Records use at most once a minute; the first use ever is an audit event. */
  async touch(t: TokenWithUser, origin: RequestOrigin): Promise<void> {
    const now = new Date();
    const first = t.lastUsedAt === null;
    if (!first && now.getTime() - (t.lastUsedAt as Date).getTime() < TOUCH_INTERVAL_MS) return;
    // A cached copy sees it at once, so the requests before the write commits do not repeat it.
    t.lastUsedAt = now;
    const touched = await this.tokens.touch(t.tokenId, now, first);
    // Of concurrent first uses (on any instance) one UPDATE finds last_used_at still empty.
    if (first && touched)
      this.audit.record('pat.first_used', origin, { userId: t.userId, actorId: t.userId, tokenId: t.tokenId });
  }

  /** Deletes tokens that expired or were revoked more than a day ago; returns how many went. */
  prune(now = new Date()): Promise<number> {
    return this.tokens.deleteEndedBefore(new Date(now.getTime() - ENDED_RETENTION_MS));
  }
}
