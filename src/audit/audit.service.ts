import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';

export type AuditEvent =
  | 'login.succeeded'
  | 'login.failed'
  | 'login.throttled'
  | 'rate_limit.throttled'
  | 'refresh.reuse_detected'
  | 'logout'
  | 'session.revoked'
  | 'password.changed'
  | 'role.changed'
  | 'user.deleted';

export interface AuditFields {
  /** The user the event is about. */
  userId?: number;
  /** The client address of the request (TRUST_PROXY applied). */
  ip?: string;
  /** The admin who acted on another user. */
  actorId?: number;
  [extra: string]: string | number | boolean | undefined;
}

/**
 * Security events as structured lines (`"audit": "<event>"`), in the request's
 * log context so each carries its request id. Never a password or token.
 */
@Injectable()
export class AuditService {
  // PinoLogger is transient: this instance is ours. (@InjectPinoLogger would depend on the order
  // in which files are imported relative to LoggerModule.forRoot.)
  constructor(private readonly logger: PinoLogger) {
    this.logger.setContext('audit');
  }

  record(event: AuditEvent, fields: AuditFields): void {
    this.logger.info({ audit: event, ...fields }, event);
  }
}
