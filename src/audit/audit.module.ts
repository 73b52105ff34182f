import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditEvent } from 'src/audit/audit-event.entity';
import { AuditEventsPruner } from 'src/audit/audit-events-pruner';
import { AuditEventsRepository } from 'src/audit/audit-events.repository';
import { AuditEventsService } from 'src/audit/audit-events.service';
import { AuditService } from 'src/audit/audit.service';
import { MetricsModule } from 'src/metrics/metrics.module';

@Module({
  imports: [TypeOrmModule.forFeature([AuditEvent]), MetricsModule],
  providers: [AuditService, AuditEventsService, AuditEventsRepository, AuditEventsPruner],
  exports: [AuditService, AuditEventsService],
})
export class AuditModule {}
