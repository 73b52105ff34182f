import { Module } from '@nestjs/common';
import { AuditEventsController } from 'src/audit-events/audit-events.controller';
import { AuditModule } from 'src/audit/audit.module';

/** The HTTP API over stored audit events; a feature of its own because audit/ sits below auth/ (eslint.config.mjs). */
@Module({
  imports: [AuditModule],
  controllers: [AuditEventsController],
})
export class AuditEventsModule {}
