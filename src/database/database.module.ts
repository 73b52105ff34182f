import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DependenciesModule } from 'src/common/dependencies/dependencies.module';
import { Outages } from 'src/common/dependencies/outages';
import { databaseConfig } from 'src/config/database.config';
import { DatabaseConnection } from 'src/database/database-connection';
import { dataSourceOptions } from 'src/database/data-source-options';
import { DatabaseChanges, SqliteWalChanges, UnknownChanges } from 'src/database/database-changes';
import { DirectQueries } from 'src/database/direct-queries';

const changesProvider = {
  provide: DatabaseChanges,
  inject: [getDataSourceToken()],
  // SQLite files run in WAL mode (data-source-options.ts), so their wal-index tells of every commit.
  useFactory: (dataSource: DataSource): DatabaseChanges => {
    const { type, database } = dataSource.options;
    return type === 'sqlite' && typeof database === 'string' && database !== ':memory:'
      ? new SqliteWalChanges(`${database}-shm`)
      : new UnknownChanges();
  },
};

/**
 * The TypeORM connection (opened by DatabaseConnection), the hot path's direct
 * queries and the database's change signal (global: any feature may use them).
 */
@Global()
@Module({
  imports: [
    DependenciesModule,
    TypeOrmModule.forRootAsync({
      imports: [DependenciesModule],
      inject: [databaseConfig.KEY, Outages],
      useFactory: (db: ConfigType<typeof databaseConfig>, outages: Outages) => ({
        ...dataSourceOptions(db.url, {
          error: (error) => outages.failed('database', error),
          connected: () => outages.recovered('database'),
        }),
        // Each feature's TypeOrmModule.forFeature([...]) brings its entities: none listed here.
        autoLoadEntities: true,
        // DatabaseConnection opens it, with retries, once the server is listening.
        manualInitialization: true,
      }),
    }),
  ],
  providers: [DirectQueries, changesProvider, DatabaseConnection],
  exports: [DirectQueries, DatabaseChanges, DatabaseConnection],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(DatabaseChanges) private readonly changes: DatabaseChanges) {}

  onApplicationShutdown(): void {
    this.changes.close();
  }
}
