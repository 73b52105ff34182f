import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityTarget, IsNull, LessThan, MoreThan, Not, Repository } from 'typeorm';
import { Role } from 'src/auth/role.enum';
import { Page } from 'src/common/dto/pagination-query.dto';
import { DirectQueries } from 'src/database/direct-queries';
import { EntityRepository, PageQuery } from 'src/database/entity-repository';
import { Session } from 'src/sessions/session.entity';

/** The session and its user as one row: what every authenticated request needs. */
export interface SessionWithUser {
  sessionId: string;
  revokedAt: Date | null;
  expiresAt: Date;
  lastUsedAt: Date;
  userId: number;
  username: string;
  role: Role;
  userCreatedAt: Date;
}

const SESSION_WITH_USER =
  'SELECT s.id AS session_id, s.revoked_at, s.expires_at, s.last_used_at, ' +
  'u.id AS user_id, u.username, u.role, u.created_at AS user_created_at ' +
  'FROM sessions s INNER JOIN users u ON u.id = s.user_id WHERE s.id = ? AND s.user_id = ?';

/** Every query on sessions; "live" means neither revoked nor expired. */
@Injectable()
export class SessionsRepository extends EntityRepository<Session> {
  constructor(@InjectRepository(Session) sessions: Repository<Session>, direct: DirectQueries) {
    super(sessions, direct);
  }

  /** One primary-key lookup joined to the user, sent straight to the driver (the hot path); null when either is gone. */
  async findWithUser(sessionId: string, userId: number): Promise<SessionWithUser | null> {
    const row = await this.direct.one('session_with_user', SESSION_WITH_USER, [sessionId, userId]);
    if (!row) return null;
    // 'User' by name: users/ sits above sessions/ in the folder graph.
    const date = <T>(entity: EntityTarget<T>, property: keyof T & string, raw: unknown) =>
      this.direct.value(entity, property, raw) as Date;
    return {
      sessionId: row.session_id as string,
      revokedAt: row.revoked_at === null ? null : date(Session, 'revokedAt', row.revoked_at),
      expiresAt: date(Session, 'expiresAt', row.expires_at),
      lastUsedAt: date(Session, 'lastUsedAt', row.last_used_at),
      userId: Number(row.user_id),
      username: row.username as string,
      role: row.role as Role,
      userCreatedAt: date<{ createdAt: Date }>('User', 'createdAt', row.user_created_at),
    };
  }

  async touch(sessionId: string, lastUsedAt: Date): Promise<void> {
    await this.repo.update({ id: sessionId }, { lastUsedAt });
  }

  /**
   * Moves a live session to a new refresh-token hash if, and only if, its
   * current one is `presentedHash` (when given): one atomic UPDATE, so of
   * concurrent presentations of one token at most one wins.
   */
  async moveRefreshToken(
    sessionId: string,
    nextHash: string,
    expiresAt: Date,
    presentedHash?: string,
  ): Promise<boolean> {
    const now = new Date();
    const query = this.repo
      .createQueryBuilder()
      .update(Session)
      .set({ refreshJtiHash: nextHash, lastUsedAt: now, expiresAt })
      .where('id = :sessionId AND revoked_at IS NULL AND expires_at > :now', { sessionId, now });
    if (presentedHash) query.andWhere('refresh_jti_hash = :presentedHash', { presentedHash });
    const result = await query.execute();
    return result.affected === 1;
  }

  async revoke(sessionId: string): Promise<void> {
    await this.repo.update({ id: sessionId, revokedAt: IsNull() }, { revokedAt: new Date() });
  }

  /** Revokes every live session of a user, except `keepSessionId` when given. */
  async revokeAllForUser(userId: number, keepSessionId?: string): Promise<void> {
    await this.repo.update(
      keepSessionId ? { userId, revokedAt: IsNull(), id: Not(keepSessionId) } : { userId, revokedAt: IsNull() },
      { revokedAt: new Date() },
    );
  }

  /** Revokes one of the owner's live sessions; false when the owner has no such live session. */
  async revokeOwned(userId: number, sessionId: string): Promise<boolean> {
    const result = await this.repo.update(
      { id: sessionId, userId, revokedAt: IsNull(), expiresAt: MoreThan(new Date()) },
      { revokedAt: new Date() },
    );
    return result.affected === 1;
  }

  /** The owner's live sessions, oldest first, and how many there are. */
  async pageLive(userId: number, query: PageQuery): Promise<Page<Session>> {
    const [rows, total] = await this.repo.findAndCount({
      where: { userId, revokedAt: IsNull(), expiresAt: MoreThan(new Date()) },
      order: { createdAt: 'ASC', id: 'ASC' },
      take: query.limit,
      skip: query.offset,
    });
    return new Page(rows, total, query.limit, query.offset);
  }

  /** Deletes sessions expired before `now` and those revoked before `revokedBefore`; returns how many went. */
  async deleteStale(now: Date, revokedBefore: Date): Promise<number> {
    const expired = await this.repo.delete({ expiresAt: LessThan(now) });
    const revoked = await this.repo.delete({ revokedAt: LessThan(revokedBefore) });
    return (expired.affected ?? 0) + (revoked.affected ?? 0);
  }
}
