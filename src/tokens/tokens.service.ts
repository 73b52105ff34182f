import {
  BadRequestException,
  ConflictException,
  ForbiddenException,
  Inject,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { EntityTarget, IsNull, LessThan, MoreThan, Repository } from 'typeorm';
import { AuditService, RequestOrigin } from 'src/audit/audit.service';
import type { AuthUser } from 'src/auth/auth-user';
import { ADMIN_SCOPES, Scope } from 'src/auth/scope.enum';
import { GenerationCache } from 'src/common/generation-cache';
import { Page, PaginationQueryDto } from 'src/common/dto/pagination-query.dto';
import { ADMIN_REQUIRED } from 'src/auth/guards/roles.guard';
import { authConfig } from 'src/config/auth.config';
import { DatabaseChanges } from 'src/database/database-changes';
import { DirectQueries } from 'src/database/direct-queries';
import { SINGLE_STATEMENT } from 'src/database/save-options';
import { CreateTokenDto } from 'src/tokens/dto/create-token.dto';
import {
  CreatedPersonalAccessTokenResponse,
  PersonalAccessTokenResponse,
  toPersonalAccessTokenResponse,
} from 'src/tokens/dto/token-response.dto';
import { PersonalAccessToken } from 'src/tokens/personal-access-token.entity';
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

/** A token and its user as one row: what every request it authenticates needs. */
export interface TokenWithUser {
  tokenId: string;
  tokenHash: string;
  scopes: Scope[];
  expiresAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  userId: number;
  username: string;
  role: Role;
  userCreatedAt: Date;
}

const TOKEN_WITH_USER =
  'SELECT t.id, t.token_hash, t.scopes, t.expires_at, t.last_used_at, t.revoked_at, ' +
  'u.id AS user_id, u.username, u.role, u.created_at AS user_created_at ' +
  'FROM personal_access_tokens t INNER JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?';

@Injectable()
export class TokensService {
  private readonly cache = new GenerationCache<TokenWithUser>(CACHED_TOKENS);
  readonly hasher: TokenHasher;

  constructor(
    @InjectRepository(PersonalAccessToken) private readonly tokens: Repository<PersonalAccessToken>,
    @Inject(authConfig.KEY) private readonly config: ConfigType<typeof authConfig>,
    private readonly direct: DirectQueries,
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
    const live = await this.tokens.countBy({ userId: caller.id, revokedAt: IsNull(), expiresAt: MoreThan(now) });
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
      SINGLE_STATEMENT,
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
    const [rows, total] = await this.tokens.findAndCount({
      where: { userId, revokedAt: IsNull(), expiresAt: MoreThan(new Date()) },
      order: { createdAt: 'ASC', id: 'ASC' },
      take: query.limit,
      skip: query.offset,
    });
    return new Page(rows.map(toPersonalAccessTokenResponse), total, query.limit, query.offset);
  }

  /** Revokes a live token of the caller's, or any user's for an admin; anything else is 404. */
  async revoke(caller: AuthUser, id: string): Promise<void> {
    const token = await this.tokens.findOneBy({ id, revokedAt: IsNull() });
    if (!token || (token.userId !== caller.id && caller.role !== Role.Admin))
      throw new NotFoundException(TOKEN_NOT_FOUND);
    const result = await this.tokens.update({ id, revokedAt: IsNull() }, { revokedAt: new Date() });
    if (result.affected !== 1) throw new NotFoundException(TOKEN_NOT_FOUND);
    this.audit.record('pat.revoked', caller, { userId: token.userId, actorId: caller.id, tokenId: id });
  }

  /** Revokes every live token of a user (a role or password change). */
  async revokeAllForUser(userId: number): Promise<void> {
    await this.tokens.update({ userId, revokedAt: IsNull() }, { revokedAt: new Date() });
  }

  /**
   * The token with this hash and its user, from the cache when nothing has been
   * committed to the database (by any instance) since it was read; else one indexed query.
   */
  async findByHash(tokenHash: string): Promise<TokenWithUser | null> {
    const generation = this.changes.generation();
    const cached = generation === null ? undefined : this.cache.get(tokenHash, generation);
    if (cached) return cached;
    const found = await this.load(tokenHash);
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
    const result = await this.tokens.update(first ? { id: t.tokenId, lastUsedAt: IsNull() } : { id: t.tokenId }, {
      lastUsedAt: now,
    });
    // Of concurrent first uses (on any instance) one UPDATE finds last_used_at still empty.
    if (first && result.affected === 1)
      this.audit.record('pat.first_used', origin, { userId: t.userId, actorId: t.userId, tokenId: t.tokenId });
  }

  /** Deletes tokens that expired or were revoked more than a day ago; returns how many went. */
  async prune(now = new Date()): Promise<number> {
    const before = new Date(now.getTime() - ENDED_RETENTION_MS);
    const expired = await this.tokens.delete({ expiresAt: LessThan(before) });
    const revoked = await this.tokens.delete({ revokedAt: LessThan(before) });
    return (expired.affected ?? 0) + (revoked.affected ?? 0);
  }

  private async load(tokenHash: string): Promise<TokenWithUser | null> {
    const row = await this.direct.one('token_with_user', TOKEN_WITH_USER, [tokenHash]);
    if (!row) return null;
    const date = <T>(entity: EntityTarget<T>, property: keyof T & string, raw: unknown) =>
      raw === null ? null : (this.direct.value(entity, property, raw) as Date);
    return {
      tokenId: row.id as string,
      tokenHash: row.token_hash as string,
      scopes: (row.scopes as string).split(' ') as Scope[],
      expiresAt: date(PersonalAccessToken, 'expiresAt', row.expires_at) as Date,
      lastUsedAt: date(PersonalAccessToken, 'lastUsedAt', row.last_used_at),
      revokedAt: date(PersonalAccessToken, 'revokedAt', row.revoked_at),
      userId: Number(row.user_id),
      username: row.username as string,
      role: row.role as Role,
      userCreatedAt: date<{ createdAt: Date }>('User', 'createdAt', row.user_created_at) as Date,
    };
  }
}
