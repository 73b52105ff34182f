import { Injectable, NotFoundException, PreconditionFailedException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { SINGLE_STATEMENT } from 'src/database/save-options';
import { writeIfVersion } from 'src/database/versioned';
import { Repository } from 'typeorm';
import { DirectQueries, Row } from 'src/database/direct-queries';
import { requireChange } from 'src/common/dto/require-change';
import { Page } from 'src/common/dto/pagination-query.dto';
import { VERSION_MISMATCH } from 'src/common/http/entity-tags';
import { CreateTaskDto } from 'src/tasks/dto/create-task.dto';
import { TaskQueryDto } from 'src/tasks/dto/task-query.dto';
import { TaskResponse, toTaskResponse } from 'src/tasks/dto/task-response';
import { UpdateTaskDto } from 'src/tasks/dto/update-task.dto';
import { Task } from 'src/tasks/task.entity';

/** Every query is scoped to the owner, so someone else's task is 404 exactly like a missing one. */
@Injectable()
export class TasksService {
  constructor(
    @InjectRepository(Task) private readonly tasks: Repository<Task>,
    private readonly direct: DirectQueries,
  ) {}

  /** A hot read: the page and its count straight on the driver, each a range of the (user_id, id) index. */
  async list(userId: number, query: TaskQueryDto): Promise<Page<TaskResponse>> {
    const filtered = query.done !== undefined;
    const where = filtered ? 'user_id = ? AND done = ?' : 'user_id = ?';
    const params = filtered ? [userId, this.direct.param(Task, 'done', query.done)] : [userId];
    const name = filtered ? 'tasks_page_done' : 'tasks_page';
    const [rows, counted] = await Promise.all([
      this.direct.all(name, `SELECT ${TASK_COLUMNS} FROM "tasks" WHERE ${where} ORDER BY id ASC LIMIT ? OFFSET ?`, [
        ...params,
        query.limit,
        query.offset,
      ]),
      this.direct.one(`${name}_count`, `SELECT COUNT(*) AS total FROM "tasks" WHERE ${where}`, params),
    ]);
    const items = rows.map((row) => toTaskResponse(this.hydrate(row)));
    return new Page(items, Number(counted?.total ?? 0), query.limit, query.offset);
  }

  private hydrate(row: Row): Task {
    const task = new Task();
    task.id = Number(row.id);
    task.title = row.title as string;
    task.description = row.description as string | null;
    task.done = this.direct.value(Task, 'done', row.done) as boolean;
    task.userId = Number(row.user_id);
    task.createdAt = this.direct.value(Task, 'createdAt', row.created_at) as Date;
    task.updatedAt = this.direct.value(Task, 'updatedAt', row.updated_at) as Date;
    task.version = Number(row.version);
    return task;
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

  /**
   * One conditional UPDATE, so of two clients sending the same `If-Match` exactly one wins.
   * `versions` undefined: no condition; empty: nothing matches.
   */
  async update(userId: number, id: number, dto: UpdateTaskDto, versions?: number[]): Promise<TaskResponse> {
    requireChange(dto);
    const changes: Partial<Task> = {};
    if (dto.title !== undefined) changes.title = dto.title;
    if (dto.description !== undefined) changes.description = dto.description;
    if (dto.done !== undefined) changes.done = dto.done;
    const update = this.tasks.createQueryBuilder().update().set(changes).where({ id, userId });
    if (!(await writeIfVersion(update, versions))) await this.failedPrecondition(userId, id);
    return this.get(userId, id);
  }

  async remove(userId: number, id: number, versions?: number[]): Promise<void> {
    const remove = this.tasks.createQueryBuilder().delete().where({ id, userId });
    if (!(await writeIfVersion(remove, versions))) await this.failedPrecondition(userId, id);
  }

  /** Nothing matched: 404 when the task is not the caller's, else its version moved on (412). */
  private async failedPrecondition(userId: number, id: number): Promise<never> {
    await this.getOwned(userId, id);
    throw new PreconditionFailedException(VERSION_MISMATCH);
  }

  private async getOwned(userId: number, id: number): Promise<Task> {
    const task = await this.tasks.findOneBy({ id, userId });
    if (!task) throw new NotFoundException(TASK_NOT_FOUND);
    return task;
  }
}

const TASK_COLUMNS = 'id, title, description, done, user_id, created_at, updated_at, version';

export const TASK_NOT_FOUND = 'Task not found';
