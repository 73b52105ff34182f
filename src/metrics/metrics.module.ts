import { Module } from '@nestjs/common';
import { MetricsService } from 'src/metrics/metrics.service';

/** Imported by every feature that counts something; Nest makes one MetricsService per application. */
@Module({
  providers: [MetricsService],
  exports: [MetricsService],
})
export class MetricsModule {}
