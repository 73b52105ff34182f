import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { limitsConfig } from 'src/config/limits.config';
import { AuditModule } from 'src/audit/audit.module';
import { MetricsModule } from 'src/metrics/metrics.module';
import { Session } from 'src/sessions/session.entity';
import { SessionsController } from 'src/sessions/sessions.controller';
import { SessionsPruner } from 'src/sessions/sessions-pruner';
import { SessionsRepository } from 'src/sessions/sessions.repository';
import { SessionsService } from 'src/sessions/sessions.service';

@Module({
  imports: [TypeOrmModule.forFeature([Session]), ConfigModule.forFeature(limitsConfig), AuditModule, MetricsModule],
  controllers: [SessionsController],
  providers: [SessionsService, SessionsRepository, SessionsPruner],
  exports: [SessionsService],
})
export class SessionsModule {}
