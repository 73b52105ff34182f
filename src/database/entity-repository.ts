import { ConflictException } from '@nestjs/common';
import type {
  DeepPartial,
  EntityMetadata,
  FindOptionsOrder,
  FindOptionsWhere,
  ObjectLiteral,
  Repository,
  SaveOptions,
} from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { Page } from 'src/common/dto/pagination-query.dto';
import { isUniqueViolation } from 'src/common/unique-violation';
import { DirectQueries, Row } from 'src/database/direct-queries';
import { writeIfVersion } from 'src/database/versioned';

/**
 * Every `save()` here is one statement, no transaction. TypeORM's SQLite driver runs
 * all queries through a single query runner, so concurrent `save()` transactions nest
 * as savepoints of one another and their commits and rollbacks mix: under load a
 * failed INSERT was reported as a success (test/hostile-input.e2e-spec.ts, 20
 * concurrent registrations). One INSERT or UPDATE is atomic on its own.
 */
const SINGLE_STATEMENT: SaveOptions = { transaction: false };

/** limit and offset, as PaginationQueryDto validates them. */
export interface PageQuery {
  limit: number;
  offset: number;
}

/** Column values a page may be narrowed to (equality only, e.g. `{ done: true }`). */
export type Filter<T> = Partial<Record<keyof T & string, unknown>>;

/**
 * What every feature's repository builds on, so a service cannot forget it:
 * `save()` is one statement (SINGLE_STATEMENT), a unique-index violation is a
 * 409 with the feature's message, and a page comes with its total. Pages are
 * read straight on the driver (DirectQueries) with SQL made from the entity's
 * metadata; a feature whose hot path needs more writes its SQL in its own
 * repository, never in a service (TasksRepository: trigger-kept counts, keyset
 * pages, the capped create).
 */
export class EntityRepository<T extends ObjectLiteral & { id: number | string }> {
  private selectList?: string;
  private selected?: ColumnMetadata[];

  constructor(
    protected readonly repo: Repository<T>,
    protected readonly direct: DirectQueries,
    /** The 409 message when a save breaks a unique index. */
    private readonly conflictMessage = 'Resource already exists',
  ) {}

  protected get metadata(): EntityMetadata {
    return this.repo.metadata;
  }

  create(fields: DeepPartial<T>): T {
    return this.repo.create(fields);
  }

  /** INSERT or UPDATE of one row in one statement; a unique violation is a ConflictException. */
  async save(entity: T): Promise<T> {
    try {
      return await this.repo.save(entity, SINGLE_STATEMENT);
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictException(this.conflictMessage);
      throw error;
    }
  }

  findById(id: T['id']): Promise<T | null> {
    return this.repo.findOneBy({ id } as FindOptionsWhere<T>);
  }

  /**
   * One UPDATE of the row (fields left `undefined` keep their value), limited to
   * the `versions` an If-Match allows when given; true when a row was written.
   */
  updateById(id: T['id'], changes: Partial<T>, versions?: number[]): Promise<boolean> {
    return this.updateWhere({ id } as FindOptionsWhere<T>, changes, versions);
  }

  /** One DELETE of the row, limited to the `versions` an If-Match allows when given; true when a row went. */
  deleteById(id: T['id'], versions?: number[]): Promise<boolean> {
    return this.deleteWhere({ id } as FindOptionsWhere<T>, versions);
  }

  protected updateWhere(where: FindOptionsWhere<T>, changes: Partial<T>, versions?: number[]): Promise<boolean> {
    const set = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
    return writeIfVersion(
      this.repo
        .createQueryBuilder()
        .update()
        .set(set as Partial<T>)
        .where(where),
      versions,
    );
  }

  protected deleteWhere(where: FindOptionsWhere<T>, versions?: number[]): Promise<boolean> {
    return writeIfVersion(this.repo.createQueryBuilder().delete().where(where), versions);
  }

  /** A page in id order and the total of rows matching `filter`; each a range of an index starting with the filter's columns. */
  async page(query: PageQuery, filter: Filter<T> = {}): Promise<Page<T>> {
    const keys = Object.keys(filter).filter((k) => filter[k] !== undefined) as Array<keyof T & string>;
    const table = `"${this.metadata.tableName}"`;
    const where = keys.length ? ` WHERE ${keys.map((k) => `"${this.column(k).databaseName}" = ?`).join(' AND ')}` : '';
    const params = keys.map((k) => this.direct.param(this.metadata.target, k, filter[k]));
    // A statement name per table and filter: PostgreSQL prepares each once per connection.
    const name = [this.metadata.tableName, 'page', ...keys].join('_');
    const [rows, counted] = await Promise.all([
      this.direct.all(name, `SELECT ${this.columnList()} FROM ${table}${where} ORDER BY "id" ASC LIMIT ? OFFSET ?`, [
        ...params,
        query.limit,
        query.offset,
      ]),
      this.direct.one(`${name}_count`, `SELECT COUNT(*) AS total FROM ${table}${where}`, params),
    ]);
    return new Page(
      rows.map((row) => this.hydrate(row)),
      Number(counted?.total ?? 0),
      query.limit,
      query.offset,
    );
  }

  /**
   * A page through TypeORM's finder, for lists off the hot path whose filter is more
   * than equality (a range, IS NULL) or whose order is not the id: the page and its total.
   */
  protected async findPage(where: FindOptionsWhere<T>, order: FindOptionsOrder<T>, query: PageQuery): Promise<Page<T>> {
    const [rows, total] = await this.repo.findAndCount({ where, order, take: query.limit, skip: query.offset });
    return new Page(rows, total, query.limit, query.offset);
  }

  /** One DELETE per condition (each can use its own index); how many rows went in all. */
  protected async deleteAll(...conditions: FindOptionsWhere<T>[]): Promise<number> {
    let deleted = 0;
    for (const where of conditions) deleted += (await this.repo.delete(where)).affected ?? 0;
    return deleted;
  }

  /** A raw row as TypeORM would load it (dates, booleans, transformers). */
  protected hydrate(row: Row): T {
    const entity = this.metadata.create() as T;
    for (const column of this.columns()) {
      (entity as Record<string, unknown>)[column.propertyName] = this.direct.value<Record<string, unknown>>(
        this.metadata.target,
        column.propertyName,
        row[column.databaseName],
      );
    }
    return entity;
  }

  private column(property: string): ColumnMetadata {
    const column = this.metadata.findColumnWithPropertyName(property);
    if (!column) throw new Error(`${this.metadata.name} has no column ${property}`);
    return column;
  }

  /** The entity's own columns (a relation's join column once, under its scalar property). */
  private columns(): ColumnMetadata[] {
    this.selected ??= this.metadata.columns.filter(
      (column, i, all) => all.findIndex((c) => c.databaseName === column.databaseName) === i,
    );
    return this.selected;
  }

  private columnList(): string {
    this.selectList ??= this.columns()
      .map((c) => `"${c.databaseName}"`)
      .join(', ');
    return this.selectList;
  }
}

/**
 * An entity that belongs to a user (`userId`): every read, change and delete
 * takes the owner, so someone else's row is exactly like a missing one.
 */
export class OwnedRepository<T extends ObjectLiteral & { id: number; userId: number }> extends EntityRepository<T> {
  findOwned(userId: number, id: number): Promise<T | null> {
    return this.repo.findOneBy({ id, userId } as FindOptionsWhere<T>);
  }

  pageOwned(userId: number, query: PageQuery, filter: Filter<T> = {}): Promise<Page<T>> {
    return this.page(query, { ...filter, userId });
  }

  /** updateById of the owner's row only: false when the owner has no such row (or its version moved on). */
  updateOwned(userId: number, id: number, changes: Partial<T>, versions?: number[]): Promise<boolean> {
    return this.updateWhere({ id, userId } as FindOptionsWhere<T>, changes, versions);
  }

  /** deleteById of the owner's row only. */
  deleteOwned(userId: number, id: number, versions?: number[]): Promise<boolean> {
    return this.deleteWhere({ id, userId } as FindOptionsWhere<T>, versions);
  }
}
