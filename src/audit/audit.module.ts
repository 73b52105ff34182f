import { Module } from '@nestjs/common';
import { AuditService } from 'src/audit/audit.service';
import { MetricsModule } from 'src/metrics/metrics.module';

@Module({
  imports: [MetricsModule],
  providers: [AuditService],
  exports: [AuditService],
})
export class AuditModule {}
