import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { limitsConfig } from 'src/config/limits.config';
import { IdempotencyModule } from 'src/idempotency/idempotency.module';
import { Task } from 'src/tasks/task.entity';
import { TasksController } from 'src/tasks/tasks.controller';
import { TasksRepository } from 'src/tasks/tasks.repository';
import { TasksService } from 'src/tasks/tasks.service';

@Module({
  imports: [TypeOrmModule.forFeature([Task]), ConfigModule.forFeature(limitsConfig), IdempotencyModule],
  controllers: [TasksController],
  providers: [TasksService, TasksRepository],
})
export class TasksModule {}
