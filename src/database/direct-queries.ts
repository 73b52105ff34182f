import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool } from 'pg';
import type { Database } from 'sqlite3';
import { DataSource, EntityTarget } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';

export type Row = Record<string, unknown>;

/**
 * The reads every authenticated request makes, sent straight to the driver
 * TypeORM opened: sqlite3's `Database#all`, or a named pg statement (prepared
 * once per pooled connection). SQL is written with `?` placeholders; `value()`
 * hydrates a raw column exactly as TypeORM would (dates, booleans).
 *
 * Hand-written because TypeORM has no such API, and its query builder, query
 * runner and entity transformer cost more than the indexed lookup itself on
 * every request. Only repositories call it (EntityRepository's pages, the task list
 * and capped create, the session and token lookups); writes and everything off the
 * hot path use TypeORM's own API there.
 * (SQLite gets no cached sqlite3 Statement: one Statement runs its calls one
 * after another through the event loop, which under concurrency is slower than
 * preparing each time.)
 */
@Injectable()
export class DirectQueries {
  private readonly pgText = new Map<string, string>();
  private readonly columns = new Map<EntityTarget<unknown>, Map<string, ColumnMetadata>>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async one(name: string, sql: string, params: unknown[]): Promise<Row | undefined> {
    return (await this.all(name, sql, params))[0];
  }

  async all(name: string, sql: string, params: unknown[]): Promise<Row[]> {
    const driver = this.dataSource.driver as unknown as { master?: Pool; databaseConnection?: Database };
    if (this.dataSource.driver.options.type === 'postgres') {
      const text = this.numbered(name, sql);
      // Through TypeORM's logger like its own queries, as sent (a no-op unless TypeORM logging is on).
      this.dataSource.logger.logQuery(text, params);
      const { rows } = await (driver.master as Pool).query<Row>({ name, text, values: params });
      return rows;
    }
    this.dataSource.logger.logQuery(sql, params);
    const db = driver.databaseConnection as Database;
    return new Promise((resolve, reject) =>
      db.all(sql, params, (error: Error | null, rows: Row[]) => (error ? reject(error) : resolve(rows))),
    );
  }

  /** A raw column value as TypeORM would hydrate it into `entity.property`. */
  value<T>(entity: EntityTarget<T>, property: keyof T & string, raw: unknown): unknown {
    return this.dataSource.driver.prepareHydratedValue(raw, this.column(entity, property));
  }

  /** A value as TypeORM would store it in `entity.property` (a boolean is 1/0 on SQLite). */
  param<T>(entity: EntityTarget<T>, property: keyof T & string, value: unknown): unknown {
    return this.dataSource.driver.preparePersistentValue(value, this.column(entity, property));
  }

  /** Looked up once per entity and property: hydration runs on every authenticated request. */
  private column<T>(entity: EntityTarget<T>, property: keyof T & string): ColumnMetadata {
    let byProperty = this.columns.get(entity);
    if (!byProperty) this.columns.set(entity, (byProperty = new Map<string, ColumnMetadata>()));
    let column = byProperty.get(property);
    if (!column) {
      column = this.dataSource.getMetadata(entity).findColumnWithPropertyName(property);
      if (!column) throw new Error(`No column for ${property}`);
      byProperty.set(property, column);
    }
    return column;
  }

  private numbered(name: string, sql: string): string {
    let text = this.pgText.get(name);
    if (text === undefined) {
      let n = 0;
      text = sql.replace(/\?/g, () => `$${++n}`);
      this.pgText.set(name, text);
    }
    return text;
  }
}
