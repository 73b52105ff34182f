import 'reflect-metadata';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { validateEnv } from 'src/config/env.validation';
import { dataSourceOptions } from 'src/database/data-source-options';

/**
 * The data source the TypeORM CLI uses (`npm run migration:*`): it runs migrations
 * only when asked, and finds every feature's `*.entity` file in the build.
 */
export default new DataSource({
  ...dataSourceOptions(validateEnv(process.env).DATABASE_URL),
  entities: [join(__dirname, '..', '**', '*.entity.js')],
  migrationsRun: false,
});
