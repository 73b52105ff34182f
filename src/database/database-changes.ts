import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/**
 * Tells, without a query, whether anything may have been committed to the
 * database, by this process or any other, since the last look. Caches of
 * database rows (the session cache) tag entries with `generation()` and drop
 * them when it moves.
 */
export abstract class DatabaseChanges {
  /**
   * A number that changes after every commit to the database, by anyone. Null when
   * this cannot be known: nothing may then be cached.
   */
  abstract generation(): number | null;

  close(): void {}
}

/** Used where no change signal exists (PostgreSQL, in-memory SQLite): caching stays off. */
export class UnknownChanges extends DatabaseChanges {
  generation(): null {
    return null;
  }
}

/** Size of one copy of the wal-index header (https://www.sqlite.org/walformat.html, 2.2.1). */
const WAL_INDEX_HEADER_BYTES = 48;
/** The header's isInit byte: 1 once a connection has built the index. */
const IS_INIT_OFFSET = 12;

/**
 * SQLite in WAL mode keeps a wal-index in `<database>-shm`, shared by every
 * connection of every process, whose header (change counter, last frame, salts,
 * checksums) is rewritten by each commit; it is what `PRAGMA data_version`
 * reads. Reading its first copy with one `pread` (and an `fstat`, to notice a
 * file SQLite replaced) costs ~1 µs on the event loop, where any sqlite3 query
 * (even that pragma) is a round trip through the thread pool costing as much
 * as the session lookup it would save.
 *
 * Any change of the 48 bytes moves the generation, so a partly written header
 * can only cause a spurious miss. Hand-written: no library exposes this.
 */
export class SqliteWalChanges extends DatabaseChanges {
  private fd: number | null = null;
  private readonly header = Buffer.alloc(WAL_INDEX_HEADER_BYTES);
  private readonly seen = Buffer.alloc(WAL_INDEX_HEADER_BYTES);
  private current = 0;

  constructor(private readonly shmPath: string) {
    super();
  }

  generation(): number | null {
    try {
      if (this.fd === null || fstatSync(this.fd).nlink === 0) this.reopen();
      const read = readSync(this.fd as number, this.header, 0, WAL_INDEX_HEADER_BYTES, 0);
      if (read < WAL_INDEX_HEADER_BYTES || this.header[IS_INIT_OFFSET] !== 1) return null;
    } catch {
      return null;
    }
    if (!this.header.equals(this.seen)) {
      this.header.copy(this.seen);
      this.current++;
    }
    return this.current;
  }

  /**
   * SQLite creates the file with the first connection in WAL mode and deletes it when the
   * last one closes (our DataSource reconnecting, say): a deleted file (no links left) is
   * never written again, so the current one is opened, and counts as a change.
   */
  private reopen(): void {
    this.close();
    this.current++;
    this.fd = openSync(this.shmPath, 'r');
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
