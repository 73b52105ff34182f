import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { LoginOutcome, MetricsService } from 'src/metrics/metrics.service';

export type AuditEvent =
  | 'login.succeeded'
  | 'login.failed'
  | 'login.throttled'
  | 'rate_limit.throttled'
  | 'refresh.reuse_detected'
  | 'logout'
  | 'session.revoked'
  | 'password.changed'
  | 'password.change_failed'
  | 'role.changed'
  | 'user.deleted';

const LOGIN_OUTCOMES: Partial<Record<AuditEvent, LoginOutcome>> = {
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
}

export interface AuditFields {
  /** The user the event is about. */
  userId?: number;
  /** The admin who acted on another user. */
  actorId?: number;
  [extra: string]: string | number | boolean | undefined;
}

/**
 * Security events as structured lines (`"audit": "<event>"`), each with the
 * address and id of the request it came from. Never a password or token.
 */
@Injectable()
export class AuditService {
  // PinoLogger is transient: this instance is ours. (@InjectPinoLogger would depend on the order
  // in which files are imported relative to LoggerModule.forRoot.)
  constructor(
    private readonly logger: PinoLogger,
    private readonly metrics: MetricsService,
  ) {
    this.logger.setContext('audit');
  }

  record(event: AuditEvent, origin: RequestOrigin, fields: AuditFields = {}): void {
    // Every security event passes here, so the login and reuse counters cannot miss one.
    const outcome =
      event === 'rate_limit.throttled' && fields.route === '/api/login' ? 'throttled' : LOGIN_OUTCOMES[event];
    if (outcome) this.metrics.logins.inc({ outcome });
    else if (event === 'refresh.reuse_detected') this.metrics.refreshReuse.inc();
    this.logger.info({ audit: event, ...fields, ip: origin.ip, reqId: origin.reqId }, event);
  }
}
