import { QueryFailedError } from 'typeorm';

/** SQLite's and PostgreSQL's unique-constraint failures. */
export function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError = error.driverError as { code?: string; message?: string } | undefined;
  return (
    driverError?.code === '23505' ||
    (driverError?.code === 'SQLITE_CONSTRAINT' && /UNIQUE constraint failed/.test(driverError.message ?? ''))
  );
}
