import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditEvent } from 'src/audit/audit-event.entity';
import { AuditEventsPruner } from 'src/audit/audit-events-pruner';
import { AuditEventsService } from 'src/audit/audit-events.service';
import { AuditService } from 'src/audit/audit.service';

@Module({
  imports: [TypeOrmModule.forFeature([AuditEvent])],
  providers: [AuditService, AuditEventsService, AuditEventsPruner],
  exports: [AuditService, AuditEventsService],
})
export class AuditModule {}
