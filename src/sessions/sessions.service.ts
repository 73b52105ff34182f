import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { SINGLE_STATEMENT } from 'src/database/save-options';
import { createHash, randomUUID } from 'node:crypto';
import { EntityTarget, IsNull, LessThan, MoreThan, Not, Repository } from 'typeorm';
import { DatabaseChanges } from 'src/database/database-changes';
import { DirectQueries } from 'src/database/direct-queries';
import { GenerationCache } from 'src/common/generation-cache';
import { MetricsService } from 'src/metrics/metrics.service';
import { AuditService, RequestOrigin } from 'src/audit/audit.service';
import { Page, PaginationQueryDto } from 'src/common/dto/pagination-query.dto';
import { SessionResponse, toSessionResponse } from 'src/sessions/dto/session-response';
import { Session } from 'src/sessions/session.entity';
import { Role } from 'src/auth/role.enum';

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

export interface ClientInfo extends RequestOrigin {
  userAgent: string;
}

/** How stale last_used_at may get before a request writes it again (keeps reads read-only). */
const TOUCH_INTERVAL_MS = 60_000;

export const SESSION_NOT_FOUND = 'Session not found';

/** How long a revoked session is kept (for the record) before pruning. */
export const REVOKED_RETENTION_MS = 24 * 3600 * 1000;

const SESSION_WITH_USER =
  'SELECT s.id AS session_id, s.revoked_at, s.expires_at, s.last_used_at, ' +
  'u.id AS user_id, u.username, u.role, u.created_at AS user_created_at ' +
  'FROM sessions s INNER JOIN users u ON u.id = s.user_id WHERE s.id = ? AND s.user_id = ?';

export const hashJti = (jti: string) => createHash('sha256').update(jti).digest('hex');

/** Sessions kept in memory by findWithUser (about 300 bytes each). */
const CACHED_SESSIONS = 10_000;

@Injectable()
export class SessionsService {
  private readonly cache = new GenerationCache<SessionWithUser>(CACHED_SESSIONS);

  constructor(
    @InjectRepository(Session) private readonly sessions: Repository<Session>,
    private readonly direct: DirectQueries,
    private readonly changes: DatabaseChanges,
    private readonly audit: AuditService,
    private readonly metrics: MetricsService,
  ) {}

  /** Opens a session whose first refresh token carries `refreshJti`. */
  async create(userId: number, refreshJti: string, ttlSeconds: number, client: ClientInfo): Promise<Session> {
    const now = new Date();
    const session = this.sessions.create({
      id: randomUUID(),
      userId,
      refreshJtiHash: hashJti(refreshJti),
      createdAt: now,
      lastUsedAt: now,
      expiresAt: new Date(now.getTime() + ttlSeconds * 1000),
      revokedAt: null,
      ip: client.ip.slice(0, 64),
      userAgent: client.userAgent.slice(0, 512),
    });
    return this.sessions.save(session, SINGLE_STATEMENT);
  }

  /** One primary-key lookup joined to the user, sent straight to the driver (the hot path); null when either is gone. */
  /**
   * The session and its user, from the cache when nothing has been committed to
   * the database (by any instance) since it was read; else one indexed query.
   */
  async findWithUser(sessionId: string, userId: number): Promise<SessionWithUser | null> {
    const key = `${sessionId}:${userId}`;
    const generation = this.changes.generation();
    const cached = generation === null ? undefined : this.cache.get(key, generation);
    this.metrics.sessionCache.inc({ result: cached ? 'hit' : 'miss' });
    if (cached) return cached;
    const found = await this.load(sessionId, userId);
    if (found && generation !== null) this.cache.set(key, found, generation);
    return found;
  }

  private async load(sessionId: string, userId: number): Promise<SessionWithUser | null> {
    const row = await this.direct.one('session_with_user', SESSION_WITH_USER, [sessionId, userId]);
    if (!row) return null;
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

  isActive(s: Pick<SessionWithUser, 'revokedAt' | 'expiresAt'>, now = Date.now()): boolean {
    return s.revokedAt === null && s.expiresAt.getTime() > now;
  }

  /** Records use at most once a minute, so most authenticated requests stay read-only. */
  async touch(s: SessionWithUser): Promise<void> {
    const now = new Date();
    if (now.getTime() - s.lastUsedAt.getTime() < TOUCH_INTERVAL_MS) return;
    // A cached copy sees it at once, so the requests before the write commits do not repeat it.
    s.lastUsedAt = now;
    await this.sessions.update({ id: s.sessionId }, { lastUsedAt: now });
  }

  /**
   * Moves the session to a new refresh token if, and only if, `presentedJti`
   * is still its current one: one atomic UPDATE, so of concurrent presentations
   * of one token at most one wins. False means reuse (or a dead session).
   */
  rotate(sessionId: string, presentedJti: string, nextJti: string, ttlSeconds: number): Promise<boolean> {
    return this.moveRefreshToken(sessionId, nextJti, ttlSeconds, hashJti(presentedJti));
  }

  /** Gives a live session a new refresh token whatever its current one (after a password change). */
  replaceRefreshToken(sessionId: string, nextJti: string, ttlSeconds: number): Promise<boolean> {
    return this.moveRefreshToken(sessionId, nextJti, ttlSeconds);
  }

  private async moveRefreshToken(
    sessionId: string,
    nextJti: string,
    ttlSeconds: number,
    presentedHash?: string,
  ): Promise<boolean> {
    const now = new Date();
    const query = this.sessions
      .createQueryBuilder()
      .update(Session)
      .set({
        refreshJtiHash: hashJti(nextJti),
        lastUsedAt: now,
        expiresAt: new Date(now.getTime() + ttlSeconds * 1000),
      })
      .where('id = :sessionId AND revoked_at IS NULL AND expires_at > :now', { sessionId, now });
    if (presentedHash) query.andWhere('refresh_jti_hash = :presentedHash', { presentedHash });
    const result = await query.execute();
    return result.affected === 1;
  }

  async revoke(sessionId: string): Promise<void> {
    await this.sessions.update({ id: sessionId, revokedAt: IsNull() }, { revokedAt: new Date() });
  }

  /** Revokes every live session of a user, except `keepSessionId` when given. */
  async revokeAllForUser(userId: number, keepSessionId?: string): Promise<void> {
    await this.sessions.update(
      keepSessionId ? { userId, revokedAt: IsNull(), id: Not(keepSessionId) } : { userId, revokedAt: IsNull() },
      { revokedAt: new Date() },
    );
  }

  /** The caller's live sessions, oldest first. */
  async listActive(
    userId: number,
    currentSessionId: string,
    query: PaginationQueryDto,
  ): Promise<Page<SessionResponse>> {
    const [rows, total] = await this.sessions.findAndCount({
      where: { userId, revokedAt: IsNull(), expiresAt: MoreThan(new Date()) },
      order: { createdAt: 'ASC', id: 'ASC' },
      take: query.limit,
      skip: query.offset,
    });
    return new Page(
      rows.map((s) => toSessionResponse(s, currentSessionId)),
      total,
      query.limit,
      query.offset,
    );
  }

  /** Revokes one of the caller's own live sessions; another user's, like a missing one, is 404. */
  async revokeOwn(caller: { id: number } & RequestOrigin, sessionId: string): Promise<void> {
    const result = await this.sessions.update(
      { id: sessionId, userId: caller.id, revokedAt: IsNull(), expiresAt: MoreThan(new Date()) },
      { revokedAt: new Date() },
    );
    if (result.affected !== 1) throw new NotFoundException(SESSION_NOT_FOUND);
    this.audit.record('session.revoked', caller, { userId: caller.id, sessionId });
  }

  /** Deletes expired sessions and those revoked more than a day ago; returns how many went. */
  async prune(now = new Date()): Promise<number> {
    const expired = await this.sessions.delete({ expiresAt: LessThan(now) });
    const revoked = await this.sessions.delete({ revokedAt: LessThan(new Date(now.getTime() - REVOKED_RETENTION_MS)) });
    return (expired.affected ?? 0) + (revoked.affected ?? 0);
  }
}
