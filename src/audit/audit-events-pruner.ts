import { Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { AuditEventsService } from 'src/audit/audit-events.service';

const HOUR_MS = 3600 * 1000;

/** Keeps audit events for AUDIT_RETENTION_DAYS. Idempotent, so several instances may all run it. */
@Injectable()
export class AuditEventsPruner {
  private readonly logger = new Logger(AuditEventsPruner.name);

  constructor(private readonly events: AuditEventsService) {}

  @Interval('prune-audit-events', HOUR_MS)
  async pruneHourly(): Promise<void> {
    try {
      const removed = await this.events.prune();
      if (removed > 0) this.logger.log(`Pruned ${removed} audit events past their retention`);
    } catch (error) {
      this.logger.error(`Pruning audit events failed: ${(error as Error).message}`);
    }
  }
}
