import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as sqlite3 from 'sqlite3';
import { SqliteWalChanges } from 'src/database/database-changes';

function open(file: string): Promise<sqlite3.Database> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(file, (error) => (error ? reject(error) : resolve(db)));
  });
}

function run(db: sqlite3.Database, sql: string): Promise<void> {
  return new Promise((resolve, reject) => db.exec(sql, (error) => (error ? reject(error) : resolve())));
}

function close(db: sqlite3.Database): Promise<void> {
  return new Promise((resolve, reject) => db.close((error) => (error ? reject(error) : resolve())));
}

describe('SqliteWalChanges', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wal-changes-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('moves on every commit of any connection, and not on reads', async () => {
    const file = join(dir, 'db.sqlite');
    const ours = await open(file);
    const theirs = await open(file);
    await run(ours, 'PRAGMA journal_mode = WAL; CREATE TABLE t (v INTEGER)');
    const changes = new SqliteWalChanges(`${file}-shm`);
    try {
      const start = changes.generation();
      expect(start).not.toBeNull();
      await run(ours, 'SELECT * FROM t');
      expect(changes.generation()).toBe(start);

      await run(theirs, 'INSERT INTO t VALUES (1)');
      const afterTheirs = changes.generation();
      expect(afterTheirs).not.toBe(start);
      expect(changes.generation()).toBe(afterTheirs);

      await run(ours, 'UPDATE t SET v = 2');
      expect(changes.generation()).not.toBe(afterTheirs);

      // After a checkpoint resets the log, a commit still moves it.
      await run(theirs, 'PRAGMA wal_checkpoint(TRUNCATE)');
      const afterCheckpoint = changes.generation();
      await run(theirs, 'UPDATE t SET v = 3');
      expect(changes.generation()).not.toBe(afterCheckpoint);
    } finally {
      changes.close();
      await close(ours);
      await close(theirs);
    }
  });

  it('follows the wal-index SQLite makes anew after the last connection closed', async () => {
    const file = join(dir, 'db.sqlite');
    const first = await open(file);
    await run(first, 'PRAGMA journal_mode = WAL; CREATE TABLE t (v INTEGER)');
    const changes = new SqliteWalChanges(`${file}-shm`);
    try {
      expect(changes.generation()).not.toBeNull();
      // The last connection deletes <db>-shm; the next one makes a new file (as after a reconnect).
      await close(first);
      const second = await open(file);
      try {
        await run(second, 'SELECT * FROM t');
        const reopened = changes.generation();
        expect(reopened).not.toBeNull();
        await run(second, 'INSERT INTO t VALUES (1)');
        expect(changes.generation()).not.toBe(reopened);
      } finally {
        await close(second);
      }
    } finally {
      changes.close();
    }
  });

  it('is unknown (null: cache nothing) while there is no wal-index', () => {
    const changes = new SqliteWalChanges(join(dir, 'missing.sqlite-shm'));
    expect(changes.generation()).toBeNull();
    changes.close();
  });
});
