import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Session } from 'src/sessions/session.entity';
import { SessionsController } from 'src/sessions/sessions.controller';
import { SessionsPruner } from 'src/sessions/sessions-pruner';
import { SessionsService } from 'src/sessions/sessions.service';

@Module({
  imports: [TypeOrmModule.forFeature([Session])],
  controllers: [SessionsController],
  providers: [SessionsService, SessionsPruner],
  exports: [SessionsService],
})
export class SessionsModule {}
