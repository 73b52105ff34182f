import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { AuditEventsRepository } from 'src/audit/audit-events.repository';
import { AuditService } from 'src/audit/audit.service';
import { AuditEventQueryDto } from 'src/audit/dto/audit-event-query.dto';
import { AuditEventResponse, toAuditEventResponse } from 'src/audit/dto/audit-event-response.dto';
import { Page } from 'src/common/dto/pagination-query.dto';
import { authConfig } from 'src/config/auth.config';

const DAY_MS = 24 * 3600 * 1000;

/** Reading and pruning the stored audit events. */
@Injectable()
export class AuditEventsService {
  constructor(
    private readonly events: AuditEventsRepository,
    private readonly audit: AuditService,
    @Inject(authConfig.KEY) private readonly config: ConfigType<typeof authConfig>,
  ) {}

  /** A page of events, newest first; this instance's pending events are stored first, so its own writes show. */
  async list(query: AuditEventQueryDto, userId = query.user_id): Promise<Page<AuditEventResponse>> {
    await this.audit.flush();
    const { type, since, until } = query;
    return (await this.events.pageFiltered({ userId, type, since, until }, query)).map(toAuditEventResponse);
  }

  /** Deletes events older than AUDIT_RETENTION_DAYS; returns how many went. */
  prune(now = new Date()): Promise<number> {
    return this.events.deleteCreatedBefore(new Date(now.getTime() - this.config.auditRetentionDays * DAY_MS));
  }
}
