import * as sqlite3 from 'sqlite3';
import { dataSourceOptions } from 'src/database/data-source-options';

describe('dataSourceOptions (SQLite)', () => {
  it('gives TypeORM a sqlite3 whose verbose() does not wrap every query in a stack-trace shim', () => {
    const options = dataSourceOptions('sqlite::memory:') as { driver: { verbose(): unknown; Database: unknown } };
    const all = sqlite3.Database.prototype.all;
    // TypeORM's SqliteDriver calls this on load.
    const loaded = options.driver.verbose() as typeof sqlite3;
    expect(sqlite3.Database.prototype.all).toBe(all);
    expect(loaded.Database).toBe(sqlite3.Database);
  });
});
