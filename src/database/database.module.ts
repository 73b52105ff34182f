import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { databaseConfig } from 'src/config/database.config';
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
 * The TypeORM connection, the hot path's direct queries and the database's change
 * signal (global: any feature may use them).
 */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [databaseConfig.KEY],
      useFactory: (db: ConfigType<typeof databaseConfig>) => ({
        ...dataSourceOptions(db.url),
        // Each feature's TypeOrmModule.forFeature([...]) brings its entities: none listed here.
        autoLoadEntities: true,
        // Fail start-up at once instead of retrying for half a minute.
        retryAttempts: 0,
      }),
    }),
  ],
  providers: [DirectQueries, changesProvider],
  exports: [DirectQueries, DatabaseChanges],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(DatabaseChanges) private readonly changes: DatabaseChanges) {}

  onApplicationShutdown(): void {
    this.changes.close();
  }
}
