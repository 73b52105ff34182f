import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { timestampType } from 'src/database/column-types';

export class CreateProducts1732400000000 implements MigrationInterface {
  name = 'CreateProducts1732400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const ts = timestampType(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'products',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'name', type: 'varchar', length: '200' },
          { name: 'description', type: 'varchar', length: '2000', isNullable: true },
          // Integer cents: exact money, and room for 1,000,000,000.00.
          { name: 'price_cents', type: 'bigint' },
          { name: 'created_at', type: ts, default: 'CURRENT_TIMESTAMP' },
          { name: 'updated_at', type: ts, default: 'CURRENT_TIMESTAMP' },
        ],
        checks: [{ name: 'CHK_products_price_cents', expression: 'price_cents >= 0 AND price_cents <= 100000000000' }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('products');
  }
}
