import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { InjectRepository } from '@nestjs/typeorm';
import { And, FindOptionsWhere, LessThan, MoreThanOrEqual, Repository } from 'typeorm';
import { AuditEvent } from 'src/audit/audit-event.entity';
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
    @InjectRepository(AuditEvent) private readonly events: Repository<AuditEvent>,
    private readonly audit: AuditService,
    @Inject(authConfig.KEY) private readonly config: ConfigType<typeof authConfig>,
  ) {}

  /** A page of events, newest first; this instance's pending events are stored first, so its own writes show. */
  async list(query: AuditEventQueryDto, userId = query.user_id): Promise<Page<AuditEventResponse>> {
    await this.audit.flush();
    const where: FindOptionsWhere<AuditEvent> = {};
    if (userId !== undefined) where.userId = userId;
    if (query.type !== undefined) where.type = query.type;
    if (query.since && query.until) where.createdAt = And(MoreThanOrEqual(query.since), LessThan(query.until));
    else if (query.since) where.createdAt = MoreThanOrEqual(query.since);
    else if (query.until) where.createdAt = LessThan(query.until);
    const [rows, total] = await this.events.findAndCount({
      where,
      order: { createdAt: 'DESC', id: 'DESC' },
      take: query.limit,
      skip: query.offset,
    });
    return new Page(rows.map(toAuditEventResponse), total, query.limit, query.offset);
  }

  /** Deletes events older than AUDIT_RETENTION_DAYS; returns how many went. */
  async prune(now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - this.config.auditRetentionDays * DAY_MS);
    const result = await this.events.delete({ createdAt: LessThan(cutoff) });
    return result.affected ?? 0;
  }
}
