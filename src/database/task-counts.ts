import { QueryRunner } from 'typeorm';

/**
 * Per-user task counts by done state, kept by the database itself with triggers
 * on `tasks`, so a list's X-Total-Count is one primary-key read instead of a
 * COUNT over the caller's rows, and stays exact whoever writes (the service,
 * a cascade from deleting the user, a bulk load, an operator's SQL). The
 * counting happens inside the writing statement, so it commits or rolls back
 * with it.
 *
 * On SQLite, TypeORM's schema builder changes a column by copying the table
 * into a new one (`recreateTable`), which drops the table's triggers: a later
 * migration that alters `tasks` that way must call `createTaskCountTriggers`
 * again (test/task-counts.e2e-spec.ts fails until it does).
 */
export const TASK_COUNT_TRIGGERS = ['trg_tasks_counts_insert', 'trg_tasks_counts_delete', 'trg_tasks_counts_update'];

// Rows one statement inserted or deleted, counted per user and done state (PostgreSQL's transition tables).
const pgCounted = (rows: string) =>
  `SELECT user_id, COUNT(*) FILTER (WHERE NOT done) AS open_n, COUNT(*) FILTER (WHERE done) AS done_n FROM ${rows} GROUP BY user_id`;

/**
 * PostgreSQL: statement-level triggers over transition tables, so a bulk INSERT … SELECT
 * of a million rows updates each counter once instead of a million times.
 */
const POSTGRES = [
  `CREATE OR REPLACE FUNCTION task_counts_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO task_counts (user_id, open_count, done_count)
    SELECT user_id, open_n, done_n FROM (${pgCounted('added')}) d
  ON CONFLICT (user_id) DO UPDATE SET
    open_count = task_counts.open_count + excluded.open_count,
    done_count = task_counts.done_count + excluded.done_count;
  RETURN NULL;
END $$`,
  `CREATE OR REPLACE FUNCTION task_counts_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE task_counts c SET open_count = c.open_count - d.open_n, done_count = c.done_count - d.done_n
  FROM (${pgCounted('removed')}) d WHERE c.user_id = d.user_id;
  RETURN NULL;
END $$`,
  `CREATE OR REPLACE FUNCTION task_counts_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE task_counts c SET open_count = c.open_count + d.open_n, done_count = c.done_count + d.done_n
  FROM (
    SELECT user_id, SUM(CASE WHEN done THEN 0 ELSE n END) AS open_n, SUM(CASE WHEN done THEN n ELSE 0 END) AS done_n
    FROM (
      SELECT r.user_id, r.done, -1 AS n FROM removed r JOIN added a ON a.id = r.id
        WHERE a.done <> r.done OR a.user_id <> r.user_id
      UNION ALL
      SELECT a.user_id, a.done, 1 AS n FROM removed r JOIN added a ON a.id = r.id
        WHERE a.done <> r.done OR a.user_id <> r.user_id
    ) moved GROUP BY user_id
  ) d WHERE c.user_id = d.user_id;
  RETURN NULL;
END $$`,
  `CREATE TRIGGER trg_tasks_counts_insert AFTER INSERT ON tasks REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION task_counts_added()`,
  `CREATE TRIGGER trg_tasks_counts_delete AFTER DELETE ON tasks REFERENCING OLD TABLE AS removed
    FOR EACH STATEMENT EXECUTE FUNCTION task_counts_removed()`,
  `CREATE TRIGGER trg_tasks_counts_update AFTER UPDATE ON tasks REFERENCING OLD TABLE AS removed NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION task_counts_changed()`,
];

const sqliteDelta = (row: 'NEW' | 'OLD', sign: '+' | '-') =>
  `UPDATE task_counts SET open_count = open_count ${sign} (CASE WHEN ${row}.done THEN 0 ELSE 1 END),
     done_count = done_count ${sign} (CASE WHEN ${row}.done THEN 1 ELSE 0 END) WHERE user_id = ${row}.user_id;`;

/** SQLite has row-level triggers only; each is a single-row primary-key update inside the writing statement. */
const SQLITE = [
  `CREATE TRIGGER trg_tasks_counts_insert AFTER INSERT ON tasks BEGIN
    INSERT INTO task_counts (user_id, open_count, done_count)
      VALUES (NEW.user_id, CASE WHEN NEW.done THEN 0 ELSE 1 END, CASE WHEN NEW.done THEN 1 ELSE 0 END)
    ON CONFLICT (user_id) DO UPDATE SET
      open_count = open_count + excluded.open_count, done_count = done_count + excluded.done_count;
  END`,
  `CREATE TRIGGER trg_tasks_counts_delete AFTER DELETE ON tasks BEGIN ${sqliteDelta('OLD', '-')} END`,
  `CREATE TRIGGER trg_tasks_counts_update AFTER UPDATE OF done, user_id ON tasks
    WHEN OLD.done IS NOT NEW.done OR OLD.user_id IS NOT NEW.user_id
  BEGIN ${sqliteDelta('OLD', '-')} ${sqliteDelta('NEW', '+')} END`,
];

const isPostgres = (queryRunner: QueryRunner) => queryRunner.connection.driver.options.type === 'postgres';

/** Creates the counting triggers (after a migration recreated `tasks` on SQLite, too). */
export async function createTaskCountTriggers(queryRunner: QueryRunner): Promise<void> {
  for (const sql of isPostgres(queryRunner) ? POSTGRES : SQLITE) await queryRunner.query(sql);
}

export async function dropTaskCountTriggers(queryRunner: QueryRunner): Promise<void> {
  for (const name of TASK_COUNT_TRIGGERS) {
    await queryRunner.query(
      isPostgres(queryRunner) ? `DROP TRIGGER IF EXISTS ${name} ON tasks` : `DROP TRIGGER IF EXISTS ${name}`,
    );
  }
  if (isPostgres(queryRunner)) {
    for (const fn of ['task_counts_added', 'task_counts_removed', 'task_counts_changed']) {
      await queryRunner.query(`DROP FUNCTION IF EXISTS ${fn}()`);
    }
  }
}

/** Recounts every user's tasks from the rows (after the triggers were missing, or when they are first created). */
export async function recountTasks(queryRunner: QueryRunner): Promise<void> {
  await queryRunner.query('DELETE FROM task_counts');
  await queryRunner.query(
    `INSERT INTO task_counts (user_id, open_count, done_count)
     SELECT user_id, SUM(CASE WHEN done THEN 0 ELSE 1 END), SUM(CASE WHEN done THEN 1 ELSE 0 END)
     FROM tasks GROUP BY user_id`,
  );
}
