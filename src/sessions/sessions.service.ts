import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { limitsConfig, type LimitsConfig } from 'src/config/limits.config';
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

@Injectable()
export class SessionsService {
  private readonly cache = new GenerationCache<SessionWithUser>(CACHED_SESSIONS);

  constructor(
    private readonly sessions: SessionsRepository,
    private readonly changes: DatabaseChanges,
    private readonly audit: AuditService,
    private readonly metrics: MetricsService,
    @Inject(limitsConfig.KEY) private readonly limits: LimitsConfig,
  ) {}

  /**
   * Opens a session whose first refresh token carries `refreshJti`; beyond
   * MAX_SESSIONS_PER_USER live sessions, the user's least recently used ones are revoked.
   */
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
    const saved = await this.sessions.save(session);
    await this.evictBeyondCap(userId, now, client);
    return saved;
  }

  /**
   * Keeps a user's live sessions at the cap by revoking the least recently used
   * (ties: the oldest). Run after each new session, so concurrent logins converge
   * on the newest ones; the session just opened is the most recent of all.
   */
  private async evictBeyondCap(userId: number, now: Date, client: ClientInfo): Promise<void> {
    const evicted = await this.sessions.revokeLeastRecentlyUsed(userId, this.limits.sessionsPerUser, now);
    for (const sessionId of evicted) this.audit.record('session.evicted', client, { userId, sessionId });
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
    return this.moveRefreshToken(sessionId, nextJti, ttlSeconds, hashJti(presentedJti));
  }

  /** Gives a live session a new refresh token whatever its current one (after a password change). */
  replaceRefreshToken(sessionId: string, nextJti: string, ttlSeconds: number): Promise<boolean> {
    return this.moveRefreshToken(sessionId, nextJti, ttlSeconds);
  }

  private moveRefreshToken(
    sessionId: string,
    nextJti: string,
    ttlSeconds: number,
    presentedJtiHash?: string,
  ): Promise<boolean> {
    const now = new Date();
    const expiresAt = new Date(now.getTime() + ttlSeconds * 1000);
    return this.sessions.moveRefreshToken(sessionId, {
      nextJtiHash: hashJti(nextJti),
      now,
      expiresAt,
      presentedJtiHash,
    });
  }

  revoke(sessionId: string): Promise<void> {
    return this.sessions.revoke(sessionId, new Date());
  }

  /** Revokes every live session of a user, except `keepSessionId` when given. */
  revokeAllForUser(userId: number, keepSessionId?: string): Promise<void> {
    return this.sessions.revokeAllForUser(userId, new Date(), keepSessionId);
  }

  /** The caller's live sessions, oldest first. */
  async listActive(
    userId: number,
    currentSessionId: string,
    query: PaginationQueryDto,
  ): Promise<Page<SessionResponse>> {
    const page = await this.sessions.pageOwnedLive(userId, query, new Date());
    return page.map((s) => toSessionResponse(s, currentSessionId));
  }

  /** Revokes one of the caller's own live sessions; another user's, like a missing one, is 404. */
  async revokeOwn(caller: { id: number } & RequestOrigin, sessionId: string): Promise<void> {
    if (!(await this.sessions.revokeOwnedLive(caller.id, sessionId, new Date())))
      throw new NotFoundException(SESSION_NOT_FOUND);
    this.audit.record('session.revoked', caller, { userId: caller.id, sessionId });
  }

  /** Deletes expired sessions and those revoked more than a day ago; returns how many went. */
  prune(now = new Date()): Promise<number> {
    return this.sessions.deleteEnded(now, new Date(now.getTime() - REVOKED_RETENTION_MS));
  }
}
