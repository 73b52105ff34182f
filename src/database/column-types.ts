import { QueryRunner } from 'typeorm';

/** The timestamp column type of the dialect a migration runs on (entities let TypeORM infer the same). */
export function timestampType(queryRunner: QueryRunner): string {
  return queryRunner.connection.driver.options.type === 'postgres' ? 'timestamp' : 'datetime';
}
