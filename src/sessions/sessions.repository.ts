import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityTarget, In, IsNull, LessThan, MoreThan, Not, Repository } from 'typeorm';
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

/** A new refresh token for a session: its hash and the session's new expiry. */
export interface RefreshMove {
  nextJtiHash: string;
  now: Date;
  expiresAt: Date;
  /** Only if this is still the session's current token's hash (rotation); absent: whatever it is. */
  presentedJtiHash?: string;
}

const SESSION_WITH_USER =
  'SELECT s.id AS session_id, s.revoked_at, s.expires_at, s.last_used_at, ' +
  'u.id AS user_id, u.username, u.role, u.created_at AS user_created_at ' +
  'FROM sessions s INNER JOIN users u ON u.id = s.user_id WHERE s.id = ? AND s.user_id = ?';

/** Every query on sessions. A live session is one neither revoked nor expired. */
@Injectable()
export class SessionsRepository extends EntityRepository<Session> {
  constructor(@InjectRepository(Session) sessions: Repository<Session>, direct: DirectQueries) {
    super(sessions, direct);
  }

  /** One primary-key lookup joined to the user, sent straight to the driver (the hot path); null when either is gone. */
  async findWithUser(sessionId: string, userId: number): Promise<SessionWithUser | null> {
    const row = await this.direct.one('session_with_user', SESSION_WITH_USER, [sessionId, userId]);
    if (!row) return null;
    const date = <E>(entity: EntityTarget<E>, property: keyof E & string, raw: unknown) =>
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

  /**
   * Revokes the user's live sessions beyond the `keep` most recently used (ties: the
   * newest kept); returns the ids it revoked.
   */
  async revokeLeastRecentlyUsed(userId: number, keep: number, now: Date): Promise<string[]> {
    const beyond = await this.repo.find({
      select: { id: true },
      where: { userId, revokedAt: IsNull(), expiresAt: MoreThan(now) },
      order: { lastUsedAt: 'DESC', createdAt: 'DESC', id: 'DESC' },
      skip: keep,
    });
    if (beyond.length === 0) return [];
    const ids = beyond.map((s) => s.id);
    await this.repo.update({ id: In(ids), revokedAt: IsNull() }, { revokedAt: now });
    return ids;
  }

  async touch(sessionId: string, now: Date): Promise<void> {
    await this.repo.update({ id: sessionId }, { lastUsedAt: now });
  }

  /** One atomic UPDATE of a live session, so of concurrent rotations of one token at most one wins. */
  async moveRefreshToken(sessionId: string, move: RefreshMove): Promise<boolean> {
    const { now, presentedJtiHash } = move;
    const query = this.repo
      .createQueryBuilder()
      .update(Session)
      .set({ refreshJtiHash: move.nextJtiHash, lastUsedAt: now, expiresAt: move.expiresAt })
      .where('id = :sessionId AND revoked_at IS NULL AND expires_at > :now', { sessionId, now });
    if (presentedJtiHash) query.andWhere('refresh_jti_hash = :presentedJtiHash', { presentedJtiHash });
    const result = await query.execute();
    return result.affected === 1;
  }

  async revoke(sessionId: string, now: Date): Promise<void> {
    await this.repo.update({ id: sessionId, revokedAt: IsNull() }, { revokedAt: now });
  }

  /** Every unrevoked session of the user, except `keepSessionId` when given. */
  async revokeAllForUser(userId: number, now: Date, keepSessionId?: string): Promise<void> {
    await this.repo.update(
      keepSessionId ? { userId, revokedAt: IsNull(), id: Not(keepSessionId) } : { userId, revokedAt: IsNull() },
      { revokedAt: now },
    );
  }

  /** The owner's live session only: false when the owner has no such live session. */
  async revokeOwnedLive(userId: number, sessionId: string, now: Date): Promise<boolean> {
    const result = await this.repo.update(
      { id: sessionId, userId, revokedAt: IsNull(), expiresAt: MoreThan(now) },
      { revokedAt: now },
    );
    return result.affected === 1;
  }

  /** The owner's live sessions, oldest first. */
  pageOwnedLive(userId: number, query: PageQuery, now: Date): Promise<Page<Session>> {
    return this.findPage(
      { userId, revokedAt: IsNull(), expiresAt: MoreThan(now) },
      { createdAt: 'ASC', id: 'ASC' },
      query,
    );
  }

  /** Deletes sessions that expired before `expiredBefore` or were revoked before `revokedBefore`. */
  deleteEnded(expiredBefore: Date, revokedBefore: Date): Promise<number> {
    return this.deleteAll({ expiresAt: LessThan(expiredBefore) }, { revokedAt: LessThan(revokedBefore) });
  }
}
