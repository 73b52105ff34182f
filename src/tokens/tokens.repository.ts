import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityTarget, IsNull, LessThan, MoreThan, Repository } from 'typeorm';
import { Role } from 'src/auth/role.enum';
import { Scope } from 'src/auth/scope.enum';
import { Page } from 'src/common/dto/pagination-query.dto';
import { DirectQueries } from 'src/database/direct-queries';
import { EntityRepository, PageQuery } from 'src/database/entity-repository';
import { PersonalAccessToken } from 'src/tokens/personal-access-token.entity';

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

/** Every query on personal access tokens. A live token is one neither revoked nor expired. */
@Injectable()
export class TokensRepository extends EntityRepository<PersonalAccessToken> {
  constructor(@InjectRepository(PersonalAccessToken) tokens: Repository<PersonalAccessToken>, direct: DirectQueries) {
    super(tokens, direct);
  }

  /** One indexed lookup joined to the user, sent straight to the driver (the hot path of token-authenticated requests). */
  async findWithUser(tokenHash: string): Promise<TokenWithUser | null> {
    const row = await this.direct.one('token_with_user', TOKEN_WITH_USER, [tokenHash]);
    if (!row) return null;
    const date = <E>(entity: EntityTarget<E>, property: keyof E & string, raw: unknown) =>
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

  countOwnedLive(userId: number, now: Date): Promise<number> {
    return this.repo.countBy({ userId, revokedAt: IsNull(), expiresAt: MoreThan(now) });
  }

  /** The owner's live tokens, oldest first. */
  pageOwnedLive(userId: number, query: PageQuery, now: Date): Promise<Page<PersonalAccessToken>> {
    return this.findPage(
      { userId, revokedAt: IsNull(), expiresAt: MoreThan(now) },
      { createdAt: 'ASC', id: 'ASC' },
      query,
    );
  }

  findUnrevoked(id: string): Promise<PersonalAccessToken | null> {
    return this.repo.findOneBy({ id, revokedAt: IsNull() });
  }

  /** False when the token was revoked meanwhile (or is gone). */
  async revoke(id: string, now: Date): Promise<boolean> {
    const result = await this.repo.update({ id, revokedAt: IsNull() }, { revokedAt: now });
    return result.affected === 1;
  }

  async revokeAllForUser(userId: number, now: Date): Promise<void> {
    await this.repo.update({ userId, revokedAt: IsNull() }, { revokedAt: now });
  }

  /**
   * Records a use; with `first`, only if the token was never used, so of concurrent
   * first uses (on any instance) exactly one returns true.
   */
  async touch(id: string, now: Date, first: boolean): Promise<boolean> {
    const result = await this.repo.update(first ? { id, lastUsedAt: IsNull() } : { id }, { lastUsedAt: now });
    return result.affected === 1;
  }

  /** Deletes tokens that expired or were revoked before `before`. */
  deleteEndedBefore(before: Date): Promise<number> {
    return this.deleteAll({ expiresAt: LessThan(before) }, { revokedAt: LessThan(before) });
  }
}
