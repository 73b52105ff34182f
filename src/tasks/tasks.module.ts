import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdempotencyModule } from 'src/idempotency/idempotency.module';
import { Task } from 'src/tasks/task.entity';
import { TasksController } from 'src/tasks/tasks.controller';
import { TasksService } from 'src/tasks/tasks.service';

@Module({
  imports: [TypeOrmModule.forFeature([Task]), IdempotencyModule],
  controllers: [TasksController],
  providers: [TasksService],
})
export class TasksModule {}
