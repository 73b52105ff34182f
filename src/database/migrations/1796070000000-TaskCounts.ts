import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { createTaskCountTriggers, dropTaskCountTriggers, recountTasks } from 'src/database/task-counts';

/**
 * Heavy users are isolated (issue 13): per-user task counts kept by triggers (see
 * src/database/task-counts.ts), and an index that serves `?done=` pages as a range
 * scan whatever the mix of done and open tasks.
 */
export class TaskCounts1796070000000 implements MigrationInterface {
  name = 'TaskCounts1796070000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'task_counts',
        columns: [
          { name: 'user_id', type: 'integer', isPrimary: true },
          { name: 'open_count', type: 'integer', default: 0 },
          { name: 'done_count', type: 'integer', default: 0 },
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'FK_task_counts_user_id',
            columnNames: ['user_id'],
            referencedTableName: 'users',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );
    await queryRunner.createIndex(
      'tasks',
      new TableIndex({ name: 'IDX_tasks_user_id_done_id', columnNames: ['user_id', 'done', 'id'] }),
    );
    await createTaskCountTriggers(queryRunner);
    await recountTasks(queryRunner);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await dropTaskCountTriggers(queryRunner);
    await queryRunner.dropIndex('tasks', 'IDX_tasks_user_id_done_id');
    await queryRunner.dropTable('task_counts');
  }
}
