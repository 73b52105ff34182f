import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { timestampType } from 'src/database/column-types';

/** Personal access tokens and stored audit events, on SQLite and PostgreSQL. */
export class CreateTokensAndAuditEvents1796070000000 implements MigrationInterface {
  name = 'CreateTokensAndAuditEvents1796070000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const ts = timestampType(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'personal_access_tokens',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'user_id', type: 'integer' },
          { name: 'name', type: 'varchar', length: '100' },
          { name: 'token_hash', type: 'varchar', length: '64' },
          { name: 'scopes', type: 'varchar', length: '200' },
          { name: 'created_at', type: ts },
          { name: 'expires_at', type: ts },
          { name: 'last_used_at', type: ts, isNullable: true },
          { name: 'revoked_at', type: ts, isNullable: true },
        ],
        indices: [
          new TableIndex({ name: 'UQ_personal_access_tokens_token_hash', columnNames: ['token_hash'], isUnique: true }),
          new TableIndex({ name: 'IDX_personal_access_tokens_user_id', columnNames: ['user_id'] }),
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'FK_personal_access_tokens_user_id',
            columnNames: ['user_id'],
            referencedTableName: 'users',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'audit_events',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'type', type: 'varchar', length: '40' },
          { name: 'actor_id', type: 'integer', isNullable: true },
          { name: 'user_id', type: 'integer', isNullable: true },
          { name: 'ip', type: 'varchar', length: '64' },
          { name: 'user_agent', type: 'varchar', length: '512' },
          { name: 'request_id', type: 'varchar', length: '64' },
          { name: 'details', type: 'varchar', length: '2000' },
          { name: 'created_at', type: ts },
        ],
        indices: [
          new TableIndex({ name: 'IDX_audit_events_user_id_created_at', columnNames: ['user_id', 'created_at'] }),
          new TableIndex({ name: 'IDX_audit_events_created_at', columnNames: ['created_at'] }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('audit_events');
    await queryRunner.dropTable('personal_access_tokens');
  }
}
