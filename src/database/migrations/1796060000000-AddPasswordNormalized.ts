import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Marks which password hashes are of the NFKC-normalised password. Existing rows are
 * false (hashed as typed) and become true when the user next logs in.
 */
export class AddPasswordNormalized1796060000000 implements MigrationInterface {
  name = 'AddPasswordNormalized1796060000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Plain ADD COLUMN, in place on both databases: TypeORM's addColumn copies a whole SQLite table into a new one.
    const off = queryRunner.connection.driver.options.type === 'postgres' ? 'false' : '0';
    await queryRunner.query(`ALTER TABLE "users" ADD COLUMN "password_normalized" boolean NOT NULL DEFAULT ${off}`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "password_normalized"`);
  }
}
