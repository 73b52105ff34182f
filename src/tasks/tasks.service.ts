import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { SINGLE_STATEMENT } from 'src/database/save-options';
import { FindOptionsWhere, Repository } from 'typeorm';
import { requireChange } from 'src/common/dto/require-change';
import { Page } from 'src/common/dto/pagination-query.dto';
import { CreateTaskDto } from 'src/tasks/dto/create-task.dto';
import { TaskQueryDto } from 'src/tasks/dto/task-query.dto';
import { TaskResponse, toTaskResponse } from 'src/tasks/dto/task-response';
import { UpdateTaskDto } from 'src/tasks/dto/update-task.dto';
import { Task } from 'src/tasks/task.entity';

/** Every query is scoped to the owner, so someone else's task is 404 exactly like a missing one. */
@Injectable()
export class TasksService {
  constructor(@InjectRepository(Task) private readonly tasks: Repository<Task>) {}

  async list(userId: number, query: TaskQueryDto): Promise<Page<TaskResponse>> {
    const where: FindOptionsWhere<Task> = query.done === undefined ? { userId } : { userId, done: query.done };
    const [rows, total] = await this.tasks.findAndCount({
      where,
      order: { id: 'ASC' },
      take: query.limit,
      skip: query.offset,
    });
    return new Page(rows.map(toTaskResponse), total, query.limit, query.offset);
  }

  async get(userId: number, id: number): Promise<TaskResponse> {
    return toTaskResponse(await this.getOwned(userId, id));
  }

  async create(userId: number, dto: CreateTaskDto): Promise<TaskResponse> {
    const task = this.tasks.create({
      title: dto.title,
      description: dto.description ?? null,
      done: dto.done ?? false,
      userId,
    });
    return toTaskResponse(await this.tasks.save(task, SINGLE_STATEMENT));
  }

  async update(userId: number, id: number, dto: UpdateTaskDto): Promise<TaskResponse> {
    requireChange(dto);
    const task = await this.getOwned(userId, id);
    if (dto.title !== undefined) task.title = dto.title;
    if (dto.description !== undefined) task.description = dto.description;
    if (dto.done !== undefined) task.done = dto.done;
    return toTaskResponse(await this.tasks.save(task, SINGLE_STATEMENT));
  }

  async remove(userId: number, id: number): Promise<void> {
    const { affected } = await this.tasks.delete({ id, userId });
    if (!affected) throw new NotFoundException(TASK_NOT_FOUND);
  }

  private async getOwned(userId: number, id: number): Promise<Task> {
    const task = await this.tasks.findOneBy({ id, userId });
    if (!task) throw new NotFoundException(TASK_NOT_FOUND);
    return task;
  }
}

export const TASK_NOT_FOUND = 'Task not found';
