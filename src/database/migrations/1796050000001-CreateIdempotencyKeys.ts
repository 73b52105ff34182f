import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { timestampType } from 'src/database/column-types';

/** Idempotency-Key records of POST /api/tasks and /api/products: one per caller, route and key. */
export class CreateIdempotencyKeys1796050000001 implements MigrationInterface {
  name = 'CreateIdempotencyKeys1796050000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    const ts = timestampType(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'idempotency_keys',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'user_id', type: 'integer' },
          { name: 'route', type: 'varchar', length: '100' },
          { name: 'key', type: 'varchar', length: '255' },
          { name: 'request_hash', type: 'varchar', length: '64' },
          // Null while the first request runs; then the answer that every retry gets.
          { name: 'status_code', type: 'integer', isNullable: true },
          { name: 'response_body', type: 'text', isNullable: true },
          { name: 'created_at', type: ts, default: 'CURRENT_TIMESTAMP' },
        ],
        indices: [
          // The claim: a second INSERT of one caller's key on one route fails here.
          new TableIndex({
            name: 'UQ_idempotency_keys_user_route_key',
            columnNames: ['user_id', 'route', 'key'],
            isUnique: true,
          }),
          // Pruning deletes by age.
          new TableIndex({ name: 'IDX_idempotency_keys_created_at', columnNames: ['created_at'] }),
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'FK_idempotency_keys_user_id',
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
    await queryRunner.dropTable('idempotency_keys');
  }
}
