import { DeleteQueryBuilder, ObjectLiteral, UpdateQueryBuilder } from 'typeorm';

/**
 * Runs an UPDATE or DELETE of one row limited to the versions an `If-Match`
 * allows (undefined: any; empty: none), in one statement, so two clients with
 * the same tag cannot both win. True when a row was written.
 */
export async function writeIfVersion<T extends ObjectLiteral>(
  query: UpdateQueryBuilder<T> | DeleteQueryBuilder<T>,
  versions: number[] | undefined,
): Promise<boolean> {
  if (versions?.length === 0) return false;
  if (versions) query.andWhere('version IN (:...versions)', { versions });
  const { affected } = await query.execute();
  return (affected ?? 0) > 0;
}
