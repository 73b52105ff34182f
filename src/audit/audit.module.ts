import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditEvent } from 'src/audit/audit-event.entity';
import { AuditEventsController } from 'src/audit/audit-events.controller';
import { AuditEventsPruner } from 'src/audit/audit-events-pruner';
import { AuditEventsService } from 'src/audit/audit-events.service';
import { AuditService } from 'src/audit/audit.service';

@Module({
  imports: [TypeOrmModule.forFeature([AuditEvent])],
  controllers: [AuditEventsController],
  providers: [AuditService, AuditEventsService, AuditEventsPruner],
  exports: [AuditService],
})
export class AuditModule {}
