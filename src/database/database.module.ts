import { Global, Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { databaseConfig } from 'src/config/database.config';
import { dataSourceOptions } from 'src/database/data-source-options';
import { DirectQueries } from 'src/database/direct-queries';

/** The TypeORM connection, and the hot path's direct queries (global: any feature may use them). */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [databaseConfig.KEY],
      useFactory: (db: ConfigType<typeof databaseConfig>) => ({
        ...dataSourceOptions(db.url),
        // Fail start-up at once instead of retrying for half a minute.
        retryAttempts: 0,
      }),
    }),
  ],
  providers: [DirectQueries],
  exports: [DirectQueries],
})
export class DatabaseModule {}
