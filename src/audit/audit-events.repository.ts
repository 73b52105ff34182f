import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { And, FindOptionsWhere, LessThan, MoreThanOrEqual, Repository } from 'typeorm';
import { AuditEvent } from 'src/audit/audit-event.entity';
import { Page } from 'src/common/dto/pagination-query.dto';
import { DirectQueries } from 'src/database/direct-queries';
import { EntityRepository, PageQuery } from 'src/database/entity-repository';

/** What a list of events may be narrowed to; `since` inclusive, `until` exclusive. */
export interface AuditEventFilter {
  userId?: number;
  type?: string;
  since?: Date;
  until?: Date;
}

/** Rows per INSERT. */
const BATCH_ROWS = 500;

/** Every query on audit_events. */
@Injectable()
export class AuditEventsRepository extends EntityRepository<AuditEvent> {
  constructor(@InjectRepository(AuditEvent) events: Repository<AuditEvent>, direct: DirectQueries) {
    super(events, direct);
  }

  /**
   * Multi-row INSERTs of at most BATCH_ROWS rows; a batch that fails is handed to
   * `failed` and the rest still go in.
   */
  async insertBatches(rows: Array<Partial<AuditEvent>>, failed: (rows: number, error: Error) => void): Promise<void> {
    for (let i = 0; i < rows.length; i += BATCH_ROWS) {
      const batch = rows.slice(i, i + BATCH_ROWS);
      try {
        await this.repo.insert(batch);
      } catch (error) {
        failed(batch.length, error as Error);
      }
    }
  }

  /** A page of events, newest first. */
  pageFiltered(filter: AuditEventFilter, query: PageQuery): Promise<Page<AuditEvent>> {
    const where: FindOptionsWhere<AuditEvent> = {};
    if (filter.userId !== undefined) where.userId = filter.userId;
    if (filter.type !== undefined) where.type = filter.type;
    if (filter.since && filter.until) where.createdAt = And(MoreThanOrEqual(filter.since), LessThan(filter.until));
    else if (filter.since) where.createdAt = MoreThanOrEqual(filter.since);
    else if (filter.until) where.createdAt = LessThan(filter.until);
    return this.findPage(where, { createdAt: 'DESC', id: 'DESC' }, query);
  }

  deleteCreatedBefore(before: Date): Promise<number> {
    return this.deleteAll({ createdAt: LessThan(before) });
  }
}
