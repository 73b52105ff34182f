import { Injectable, NotFoundException } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { DatabaseChanges } from 'src/database/database-changes';
import { GenerationCache } from 'src/common/generation-cache';
import { MetricsService } from 'src/metrics/metrics.service';
import { AuditService, RequestOrigin } from 'src/audit/audit.service';
import { Page, PaginationQueryDto } from 'src/common/dto/pagination-query.dto';
import { SessionResponse, toSessionResponse } from 'src/sessions/dto/session-response';
import { Session } from 'src/sessions/session.entity';
import { SessionsRepository, SessionWithUser } from 'src/sessions/sessions.repository';

export type { SessionWithUser } from 'src/sessions/sessions.repository';

export interface ClientInfo extends RequestOrigin {
  userAgent: string;
}

/** How stale last_used_at may get before a request writes it again (keeps reads read-only). */
const TOUCH_INTERVAL_MS = 60_000;

export const SESSION_NOT_FOUND = 'Session not found';

/** How long a revoked session is kept (for the record) before pruning. */
export const REVOKED_RETENTION_MS = 24 * 3600 * 1000;

export const hashJti = (jti: string) => createHash('sha256').update(jti).digest('hex');

/** Sessions kept in memory by findWithUser (about 300 bytes each). */
const CACHED_SESSIONS = 10_000;

/** Session rules: lifetimes, rotation, revocation and the session cache; queries are the repository's. */
@Injectable()
export class SessionsService {
  private readonly cache = new GenerationCache<SessionWithUser>(CACHED_SESSIONS);

  constructor(
    private readonly sessions: SessionsRepository,
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
    return this.sessions.save(session);
  }

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
    const found = await this.sessions.findWithUser(sessionId, userId);
    if (found && generation !== null) this.cache.set(key, found, generation);
    return found;
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
    await this.sessions.touch(s.sessionId, now);
  }

  /**
   * Moves the session to a new refresh token if, and only if, `presentedJti`
   * is still its current one: one atomic UPDATE, so of concurrent presentations
   * of one token at most one wins. False means reuse (or a dead session).
   */
  rotate(sessionId: string, presentedJti: string, nextJti: string, ttlSeconds: number): Promise<boolean> {
    return this.sessions.moveRefreshToken(sessionId, hashJti(nextJti), expiry(ttlSeconds), hashJti(presentedJti));
  }

  /** Gives a live session a new refresh token whatever its current one (after a password change). */
  replaceRefreshToken(sessionId: string, nextJti: string, ttlSeconds: number): Promise<boolean> {
    return this.sessions.moveRefreshToken(sessionId, hashJti(nextJti), expiry(ttlSeconds));
  }

  revoke(sessionId: string): Promise<void> {
    return this.sessions.revoke(sessionId);
  }

  /** Revokes every live session of a user, except `keepSessionId` when given. */
  revokeAllForUser(userId: number, keepSessionId?: string): Promise<void> {
    return this.sessions.revokeAllForUser(userId, keepSessionId);
  }

  /** The caller's live sessions, oldest first. */
  async listActive(
    userId: number,
    currentSessionId: string,
    query: PaginationQueryDto,
  ): Promise<Page<SessionResponse>> {
    return (await this.sessions.pageLive(userId, query)).map((s) => toSessionResponse(s, currentSessionId));
  }

  /** Revokes one of the caller's own live sessions; another user's, like a missing one, is 404. */
  async revokeOwn(caller: { id: number } & RequestOrigin, sessionId: string): Promise<void> {
    if (!(await this.sessions.revokeOwned(caller.id, sessionId))) throw new NotFoundException(SESSION_NOT_FOUND);
    this.audit.record('session.revoked', caller, { userId: caller.id, sessionId });
  }

  /** Deletes expired sessions and those revoked more than a day ago; returns how many went. */
  prune(now = new Date()): Promise<number> {
    return this.sessions.deleteStale(now, new Date(now.getTime() - REVOKED_RETENTION_MS));
  }
}

function expiry(ttlSeconds: number): Date {
  return new Date(Date.now() + ttlSeconds * 1000);
}
