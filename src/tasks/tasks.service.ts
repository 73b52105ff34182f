import { ConflictException, Inject, Injectable, NotFoundException, PreconditionFailedException } from '@nestjs/common';
import { limitsConfig, type LimitsConfig } from 'src/config/limits.config';
import { requireChange } from 'src/common/dto/require-change';
import { Page } from 'src/common/dto/pagination-query.dto';
import { VERSION_MISMATCH } from 'src/common/http/entity-tags';
import { CreateTaskDto } from 'src/tasks/dto/create-task.dto';
import { TaskQueryDto } from 'src/tasks/dto/task-query.dto';
import { TaskResponse, toTaskResponse } from 'src/tasks/dto/task-response';
import { UpdateTaskDto } from 'src/tasks/dto/update-task.dto';
import { Task } from 'src/tasks/task.entity';
import { TasksRepository } from 'src/tasks/tasks.repository';

/** Every read and write goes through the owner, so someone else's task is 404 exactly like a missing one. */
@Injectable()
export class TasksService {
  constructor(
    private readonly tasks: TasksRepository,
    @Inject(limitsConfig.KEY) private readonly limits: LimitsConfig,
  ) {}

  async list(userId: number, query: TaskQueryDto): Promise<Page<TaskResponse>> {
    const { limit, offset, after_id: afterId, done } = query;
    return (await this.tasks.pageOwned(userId, { limit, offset, afterId }, { done })).map(toTaskResponse);
  }

  async get(userId: number, id: number): Promise<TaskResponse> {
    return toTaskResponse(await this.getOwned(userId, id));
  }

  /** At most MAX_TASKS_PER_USER tasks a user (409 beyond), held exactly under concurrent creates. */
  async create(userId: number, dto: CreateTaskDto): Promise<TaskResponse> {
    const task = await this.tasks.insertCapped(
      userId,
      { title: dto.title, description: dto.description ?? null, done: dto.done ?? false },
      this.limits.tasksPerUser,
    );
    if (!task) throw new ConflictException(taskLimitMessage(this.limits.tasksPerUser));
    return toTaskResponse(task);
  }

  /**
   * One conditional UPDATE, so of two clients sending the same `If-Match` exactly one wins.
   * `versions` undefined: no condition; empty: nothing matches.
   */
  async update(userId: number, id: number, dto: UpdateTaskDto, versions?: number[]): Promise<TaskResponse> {
    requireChange(dto);
    const { title, description, done } = dto;
    if (!(await this.tasks.updateOwned(userId, id, { title, description, done }, versions)))
      await this.failedPrecondition(userId, id);
    return this.get(userId, id);
  }

  async remove(userId: number, id: number, versions?: number[]): Promise<void> {
    if (!(await this.tasks.deleteOwned(userId, id, versions))) await this.failedPrecondition(userId, id);
  }

  /** Nothing matched: 404 when the task is not the caller's, else its version moved on (412). */
  private async failedPrecondition(userId: number, id: number): Promise<never> {
    await this.getOwned(userId, id);
    throw new PreconditionFailedException(VERSION_MISMATCH);
  }

  private async getOwned(userId: number, id: number): Promise<Task> {
    const task = await this.tasks.findOwned(userId, id);
    if (!task) throw new NotFoundException(TASK_NOT_FOUND);
    return task;
  }
}

export const TASK_NOT_FOUND = 'Task not found';
export const taskLimitMessage = (max: number) => `Task limit reached: at most ${max} tasks per user`;
