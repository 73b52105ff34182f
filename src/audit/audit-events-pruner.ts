import { Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { AuditEventsService } from 'src/audit/audit-events.service';
import { prunePass } from 'src/common/prune-pass';

const HOUR_MS = 3600 * 1000;

/** Keeps audit events for AUDIT_RETENTION_DAYS. */
@Injectable()
export class AuditEventsPruner {
  private readonly logger = new Logger(AuditEventsPruner.name);

  constructor(private readonly events: AuditEventsService) {}

  @Interval('prune-audit-events', HOUR_MS)
  pruneHourly(): Promise<void> {
    return prunePass(this.logger, 'audit events past their retention', () => this.events.prune());
  }
}
