import { SaveOptions } from 'typeorm';

/**
 * For every `save()` of one row. TypeORM's SQLite driver runs all queries
 * through a single query runner, so concurrent `save()` transactions nest as
 * savepoints of one another and their commits and rollbacks mix: under load a
 * failed INSERT was reported as a success (test/hostile-input.e2e-spec.ts,
 * 20 concurrent registrations). One INSERT or UPDATE is atomic on its own.
 */
export const SINGLE_STATEMENT: SaveOptions = { transaction: false };
