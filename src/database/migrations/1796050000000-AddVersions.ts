import { MigrationInterface, QueryRunner } from 'typeorm';

/** Tasks and products carry a version (their ETag); existing rows start at 1. */
export class AddVersions1796050000000 implements MigrationInterface {
  name = 'AddVersions1796050000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Plain ALTER TABLE on both dialects: TypeORM's addColumn would rebuild a SQLite table row by row.
    await queryRunner.query('ALTER TABLE "tasks" ADD COLUMN "version" integer NOT NULL DEFAULT 1');
    await queryRunner.query('ALTER TABLE "products" ADD COLUMN "version" integer NOT NULL DEFAULT 1');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "products" DROP COLUMN "version"');
    await queryRunner.query('ALTER TABLE "tasks" DROP COLUMN "version"');
  }
}
