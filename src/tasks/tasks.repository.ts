import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Page } from 'src/common/dto/pagination-query.dto';
import { DirectQueries, Row } from 'src/database/direct-queries';
import { OwnedRepository, PageQuery } from 'src/database/entity-repository';
import { Task } from 'src/tasks/task.entity';

/** A page of the owner's tasks: by offset, or after a task id (keyset, as `next_after_id` hands out). */
export interface TaskPageQuery extends PageQuery {
  afterId?: number;
}

/** The fields a new task is written with. */
export type NewTask = Pick<Task, 'title' | 'description' | 'done'>;

const TASK_COLUMNS = 'id, title, description, done, user_id, created_at, updated_at, version';

/**
 * Every query on tasks, always by owner. The list and the create are the API's hot
 * path, so they are SQL sent straight to the driver (DirectQueries), written here
 * and nowhere else; the counts they read are kept by the database's triggers
 * (src/database/task-counts.ts).
 */
@Injectable()
export class TasksRepository extends OwnedRepository<Task> {
  private readonly cappedInsert: string;
  /** The page queries, by whether `done=` filters: see pageOwned(). */
  private readonly pageSql: { all: string; done: string };

  constructor(@InjectRepository(Task) tasks: Repository<Task>, direct: DirectQueries) {
    super(tasks, direct);
    const postgres = tasks.manager.connection.options.type === 'postgres';
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
   * The page, a range of the (user_id, id) or (user_id, done, id) index, beside the
   * owner's counts, one primary-key row kept by the triggers. Neither grows with the
   * owner's number of tasks: a COUNT(*) did (issue 13). One row past the page tells
   * whether there is a next (`nextAfterId`).
   */
  override async pageOwned(userId: number, query: TaskPageQuery, filter: { done?: boolean } = {}): Promise<Page<Task>> {
    const filtered = filter.done !== undefined;
    const after = query.afterId ?? 0;
    const params = filtered ? [userId, this.direct.param(Task, 'done', filter.done), after] : [userId, after];
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
    const total = !filtered ? open + done : filter.done ? done : open;
    const items = rows.slice(0, query.limit).map((row) => this.hydrate(row));
    const nextAfterId = rows.length > query.limit ? items[items.length - 1].id : null;
    return new Page(items, total, query.limit, query.offset, nextAfterId);
  }

  /**
   * One INSERT that happens only while the owner has fewer than `max` tasks, judged
   * from the counts row in the same statement: SQLite runs one writer at a time, and
   * on PostgreSQL `FOR UPDATE` makes concurrent creates of one user take turns on that
   * row and re-read it, so the cap holds exactly. Null when the owner is at the cap.
   * (TypeORM cannot express a conditional INSERT … SELECT … RETURNING.)
   */
  async insertCapped(userId: number, task: NewTask, max: number): Promise<Task | null> {
    const params = [task.title, task.description, this.direct.param(Task, 'done', task.done), userId, max];
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
    return row ? this.hydrate(row) : null;
  }

  /** By hand rather than the base's metadata walk: it runs for every task of every list. */
  protected override hydrate(row: Row): Task {
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
}
