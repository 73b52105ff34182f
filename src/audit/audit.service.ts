import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { AuditEvent } from 'src/audit/audit-event.entity';
import { AuditEventsRepository } from 'src/audit/audit-events.repository';
import { LoginOutcome, MetricsService } from 'src/metrics/metrics.service';

export const AUDIT_EVENT_TYPES = [
  'login.succeeded',
  'login.failed',
  'login.throttled',
  'rate_limit.throttled',
  'refresh.reuse_detected',
  'logout',
  'session.revoked',
  'session.evicted',
  'password.changed',
  'password.change_failed',
  'role.changed',
  'user.deleted',
  'pat.created',
  'pat.first_used',
  'pat.revoked',
] as const;

export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];

const LOGIN_OUTCOMES: Partial<Record<AuditEventType, LoginOutcome>> = {
  'login.succeeded': 'succeeded',
  'login.failed': 'failed',
  'login.throttled': 'throttled',
};

/** The request an event came from. */
export interface RequestOrigin {
  /** The client address (TRUST_PROXY applied). */
  ip: string;
  /** The request id (X-Request-Id), as on the request's access line. */
  reqId: string;
  /** The User-Agent header, when the caller sent one. */
  userAgent?: string;
}

export interface AuditFields {
  /** The user the event is about. */
  userId?: number;
  /** Who acted, when it is not the anonymous client (an admin acting on another user, or the user themself). */
  actorId?: number;
  [extra: string]: string | number | boolean | undefined;
}

/** Events waiting to be written; past this many, new ones are only logged (the log line is never lost). */
const MAX_PENDING = 10_000;
/** How long an event may wait for the next batch. */
const FLUSH_DELAY_MS = 200;

/**
 * Security events as structured lines (`"audit": "<event>"`), each with the
 * address and id of the request it came from, and as rows of `audit_events`.
 * Never a password or token.
 *
 * Rows are written in batches off the request path: one multi-row INSERT per
 * 200 ms at most, so a storm of failed logins costs one statement per batch,
 * not one per login, and a failing database never fails the request an event
 * describes (the batch is logged and dropped).
 */
@Injectable()
export class AuditService implements BeforeApplicationShutdown {
  private pending: Array<Partial<AuditEvent>> = [];
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();
  private dropped = 0;
  private readonly errors = new Logger(AuditService.name);

  // PinoLogger is transient: this instance is ours. (@InjectPinoLogger would depend on the order
  // in which files are imported relative to LoggerModule.forRoot.)
  constructor(
    private readonly logger: PinoLogger,
    private readonly events: AuditEventsRepository,
    private readonly metrics: MetricsService,
  ) {
    this.logger.setContext('audit');
  }

  record(event: AuditEventType, origin: RequestOrigin, fields: AuditFields = {}): void {
    // Every security event passes here, so the login and reuse counters cannot miss one.
    const outcome =
      event === 'rate_limit.throttled' && fields.route === '/api/login' ? 'throttled' : LOGIN_OUTCOMES[event];
    if (outcome) this.metrics.logins.inc({ outcome });
    else if (event === 'refresh.reuse_detected') this.metrics.refreshReuse.inc();
    const { userAgent, ...logged } = origin;
    this.logger.info({ audit: event, ...fields, ip: logged.ip, reqId: logged.reqId }, event);
    if (this.pending.length >= MAX_PENDING) {
      this.dropped++;
      return;
    }
    const { userId, actorId, ...details } = fields;
    this.pending.push({
      type: event,
      userId: userId ?? null,
      actorId: actorId ?? null,
      ip: origin.ip.slice(0, 64),
      userAgent: (userAgent ?? '').slice(0, 512),
      requestId: String(origin.reqId ?? '').slice(0, 64),
      details: JSON.stringify(snakeKeys(details)).slice(0, 2000),
      createdAt: new Date(),
    });
    this.timer ??= setTimeout(() => void this.flush(), FLUSH_DELAY_MS).unref();
  }

  /** Writes what is pending; resolves when it (and any batch before it) is stored or given up on. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.pending;
    this.pending = [];
    this.writing = this.writing.then(() => this.write(batch));
    return this.writing;
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.flush();
  }

  private async write(batch: Array<Partial<AuditEvent>>): Promise<void> {
    if (this.dropped > 0) {
      this.errors.warn(`${this.dropped} audit events were not stored: too many waiting (they are in the log)`);
      this.dropped = 0;
    }
    await this.events.insertBatches(batch, (rows, error) =>
      this.errors.error(`Could not store ${rows} audit events: ${error.message}`),
    );
  }
}

/** The API's field style (`sessionId` → `session_id`) for the stored details. */
function snakeKeys(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(fields).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), v]),
  );
}
