import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { timestampType } from 'src/database/column-types';

export class CreateTasks1732400000001 implements MigrationInterface {
  name = 'CreateTasks1732400000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    const ts = timestampType(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'tasks',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'title', type: 'varchar', length: '200' },
          { name: 'description', type: 'varchar', length: '2000', isNullable: true },
          { name: 'done', type: 'boolean', default: false },
          { name: 'user_id', type: 'integer' },
          { name: 'created_at', type: ts, default: 'CURRENT_TIMESTAMP' },
          { name: 'updated_at', type: ts, default: 'CURRENT_TIMESTAMP' },
        ],
        // A user's page of tasks is a range scan of (user_id, id), however large the table.
        indices: [new TableIndex({ name: 'IDX_tasks_user_id_id', columnNames: ['user_id', 'id'] })],
        foreignKeys: [
          new TableForeignKey({
            name: 'FK_tasks_user_id',
            columnNames: ['user_id'],
            referencedTableName: 'users',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('tasks');
  }
}
