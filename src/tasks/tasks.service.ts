import { ConflictException, Inject, Injectable, NotFoundException, PreconditionFailedException } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { limitsConfig, type LimitsConfig } from 'src/config/limits.config';
import { writeIfVersion } from 'src/database/versioned';
import { DataSource, Repository } from 'typeorm';
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
  private readonly cappedInsert: string;
  /** The page queries, by whether `done=` filters: see list(). */
  private readonly pageSql: { all: string; done: string };

  constructor(
    @InjectRepository(Task) private readonly tasks: Repository<Task>,
    private readonly direct: DirectQueries,
    @Inject(limitsConfig.KEY) private readonly limits: LimitsConfig,
    @InjectDataSource() dataSource: DataSource,
  ) {
    const postgres = dataSource.options.type === 'postgres';
    const lock = postgres ? ' FOR UPDATE' : '';
    // SQLite: the index named, so the plan cannot depend on statistics. The one connection keeps
    // the statistics it read first until the schema changes; after an ANALYZE of a table where
    // one user owned every row (so `user_id = ?` looked unselective), it walked the whole table
    // in id order to fill another user's page: 15 ms a page with 2,000,000 rows (issue 13 bench).
    const page = (index: string, where: string) =>
      `SELECT ${TASK_COLUMNS} FROM "tasks"${postgres ? '' : ` INDEXED BY "${index}"`} WHERE ${where} ` +
      'ORDER BY id ASC LIMIT ? OFFSET ?';
    this.pageSql = {
      all: page('IDX_tasks_user_id_id', 'user_id = ? AND id > ?'),
      done: page('IDX_tasks_user_id_done_id', 'user_id = ? AND done = ? AND id > ?'),
    };
    this.cappedInsert =
      'INSERT INTO "tasks" (title, description, done, user_id) SELECT ?, ?, ?, user_id FROM "task_counts" ' +
      `WHERE user_id = ? AND open_count + done_count < ?${lock} RETURNING ${TASK_COLUMNS}`;
  }

  /**
   * A hot read: the page, a range of the (user_id, id) or (user_id, done, id) index,
   * beside the caller's counts, one primary-key row kept by the database's triggers
   * (src/database/task-counts.ts). Neither grows with the caller's number of tasks:
   * a COUNT(*) did (issue 13). One row past the page tells whether there is a next.
   */
  async list(userId: number, query: TaskQueryDto): Promise<Page<TaskResponse>> {
    const filtered = query.done !== undefined;
    const after = query.after_id ?? 0;
    const params = filtered ? [userId, this.direct.param(Task, 'done', query.done), after] : [userId, after];
    const [rows, counts] = await Promise.all([
      this.direct.all(filtered ? 'tasks_page_done' : 'tasks_page', filtered ? this.pageSql.done : this.pageSql.all, [
        ...params,
        query.limit + 1,
        query.offset,
      ]),
      this.direct.one('task_counts', 'SELECT open_count, done_count FROM "task_counts" WHERE user_id = ?', [userId]),
    ]);
    const open = Number(counts?.open_count ?? 0);
    const done = Number(counts?.done_count ?? 0);
    const total = !filtered ? open + done : query.done ? done : open;
    const items = rows.slice(0, query.limit).map((row) => toTaskResponse(this.hydrate(row)));
    const nextAfterId = rows.length > query.limit ? items[items.length - 1].id : null;
    return new Page(items, total, query.limit, query.offset, nextAfterId);
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

  /**
   * One INSERT that happens only while the caller is under MAX_TASKS_PER_USER, judged
   * from the counts row in the same statement: SQLite runs one writer at a time, and
   * on PostgreSQL `FOR UPDATE` makes concurrent creates of one user take turns on that
   * row and re-read it, so the cap holds exactly. (TypeORM cannot express a conditional
   * INSERT … SELECT … RETURNING.)
   */
  async create(userId: number, dto: CreateTaskDto): Promise<TaskResponse> {
    const params = [
      dto.title,
      dto.description ?? null,
      this.direct.param(Task, 'done', dto.done ?? false),
      userId,
      this.limits.tasksPerUser,
    ];
    const insert = () => this.direct.one('task_insert_capped', this.cappedInsert, params);
    let row = await insert();
    if (!row) {
      // A user's counts row appears with their first task; make it, then try once more.
      await this.direct.all(
        'task_counts_ensure',
        'INSERT INTO "task_counts" (user_id, open_count, done_count) VALUES (?, 0, 0) ON CONFLICT (user_id) DO NOTHING',
        [userId],
      );
      row = await insert();
    }
    if (!row) throw new ConflictException(taskLimitMessage(this.limits.tasksPerUser));
    return toTaskResponse(this.hydrate(row));
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
export const taskLimitMessage = (max: number) => `Task limit reached: at most ${max} tasks per user`;
