import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { timestampType } from 'src/database/column-types';

/** Users and their sessions. Written with TypeORM's schema builder so it runs on SQLite and PostgreSQL. */
export class CreateUsersAndSessions1732300000000 implements MigrationInterface {
  name = 'CreateUsersAndSessions1732300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const ts = timestampType(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'users',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'username', type: 'varchar', length: '32' },
          { name: 'username_key', type: 'varchar', length: '32' },
          { name: 'password_hash', type: 'varchar', length: '60' },
          { name: 'role', type: 'varchar', length: '16', default: "'user'" },
          { name: 'created_at', type: ts, default: 'CURRENT_TIMESTAMP' },
          { name: 'updated_at', type: ts, default: 'CURRENT_TIMESTAMP' },
        ],
        indices: [
          new TableIndex({ name: 'UQ_users_username_key', columnNames: ['username_key'], isUnique: true }),
          new TableIndex({ name: 'IDX_users_role', columnNames: ['role'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'sessions',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'user_id', type: 'integer' },
          { name: 'refresh_jti_hash', type: 'varchar', length: '64' },
          { name: 'created_at', type: ts },
          { name: 'last_used_at', type: ts },
          { name: 'expires_at', type: ts },
          { name: 'revoked_at', type: ts, isNullable: true },
          { name: 'ip', type: 'varchar', length: '64' },
          { name: 'user_agent', type: 'varchar', length: '512' },
        ],
        indices: [
          new TableIndex({ name: 'IDX_sessions_user_id', columnNames: ['user_id'] }),
          new TableIndex({ name: 'IDX_sessions_expires_at', columnNames: ['expires_at'] }),
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'FK_sessions_user_id',
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
    await queryRunner.dropTable('sessions');
    await queryRunner.dropTable('users');
  }
}
