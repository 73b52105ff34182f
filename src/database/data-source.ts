import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { validateEnv } from 'src/config/env.validation';
import { dataSourceOptions } from 'src/database/data-source-options';

/** The data source the TypeORM CLI uses (`npm run migration:*`): it runs migrations only when asked. */
export default new DataSource({ ...dataSourceOptions(validateEnv(process.env).DATABASE_URL), migrationsRun: false });
