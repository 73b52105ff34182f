import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { DatabaseConnection } from 'src/database/database-connection';

const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

interface FakeDataSource {
  isInitialized: boolean;
  initialize: jest.Mock<Promise<void>, []>;
  destroy: jest.Mock<Promise<void>, []>;
}

function fakeDataSource(failures: Error[]): FakeDataSource {
  const ds: FakeDataSource = {
    isInitialized: false,
    initialize: jest.fn(() => {
      const error = failures.shift();
      if (error) return Promise.reject(error);
      ds.isInitialized = true;
      return Promise.resolve();
    }),
    destroy: jest.fn(() => Promise.resolve()),
  };
  return ds;
}

const config = (connectAttempts: number) =>
  ({ connectAttempts, connectBackoffMs: 10 }) as ConstructorParameters<typeof DatabaseConnection>[1];

describe('DatabaseConnection', () => {
  let warn: jest.SpyInstance;
  beforeEach(() => (warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined)));
  afterEach(() => warn.mockRestore());

  it('retries an unreachable database with backoff, then runs the start-up tasks once and is ready', async () => {
    const ds = fakeDataSource([refused(), refused()]);
    const connection = new DatabaseConnection(ds as unknown as DataSource, config(5));
    const task = jest.fn(() => Promise.resolve());
    connection.afterConnect(task);
    expect(connection.ready).toBe(false);
    connection.onApplicationBootstrap();
    await connection.whenReady;
    expect(connection.ready).toBe(true);
    expect(ds.initialize).toHaveBeenCalledTimes(3);
    expect(task).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledTimes(2);
  });

  it('gives up after DATABASE_CONNECT_ATTEMPTS tries', async () => {
    const ds = fakeDataSource([refused(), refused(), refused(), refused()]);
    const connection = new DatabaseConnection(ds as unknown as DataSource, config(3));
    connection.onApplicationBootstrap();
    await expect(connection.whenReady).rejects.toThrow('ECONNREFUSED');
    expect(ds.initialize).toHaveBeenCalledTimes(3);
    expect(connection.ready).toBe(false);
  });

  it('does not wait for a database that refuses the credentials: that is a setting to fix', async () => {
    const badPassword = Object.assign(new Error('password authentication failed'), { code: '28P01' });
    const ds = fakeDataSource([badPassword]);
    const connection = new DatabaseConnection(ds as unknown as DataSource, config(0));
    connection.onApplicationBootstrap();
    await expect(connection.whenReady).rejects.toThrow('password authentication failed');
    expect(ds.initialize).toHaveBeenCalledTimes(1);
  });

  it('stops trying when the application shuts down', async () => {
    const ds = fakeDataSource(Array.from({ length: 100 }, refused));
    const connection = new DatabaseConnection(ds as unknown as DataSource, config(0));
    connection.onApplicationBootstrap();
    connection.onApplicationShutdown();
    await expect(connection.whenReady).rejects.toThrow();
    expect(ds.initialize.mock.calls.length).toBeLessThanOrEqual(2);
  });
});
