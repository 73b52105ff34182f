import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from 'src/audit/audit.module';
import { MetricsModule } from 'src/metrics/metrics.module';
import { Session } from 'src/sessions/session.entity';
import { SessionsController } from 'src/sessions/sessions.controller';
import { SessionsPruner } from 'src/sessions/sessions-pruner';
import { SessionsService } from 'src/sessions/sessions.service';

@Module({
  imports: [TypeOrmModule.forFeature([Session]), AuditModule, MetricsModule],
  controllers: [SessionsController],
  providers: [SessionsService, SessionsPruner],
  exports: [SessionsService],
})
export class SessionsModule {}
