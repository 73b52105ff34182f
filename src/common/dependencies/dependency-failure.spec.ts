import { QueryFailedError } from 'typeorm';
import { dependencyFailure, DependencyUnavailableError } from 'src/common/dependencies/dependency-failure';

const coded = (code: string, message = 'x') => Object.assign(new Error(message), { code });
const query = (driverError: Error) => new QueryFailedError('SELECT 1', [], driverError);

describe('dependencyFailure', () => {
  it.each([
    ['SQLite full', query(coded('SQLITE_FULL', 'SQLITE_FULL: database or disk is full')), 'disk'],
    ['no space left', coded('ENOSPC'), 'disk'],
    ['PostgreSQL disk full', query(coded('53100')), 'disk'],
    ['SQLite I/O error', query(coded('SQLITE_IOERR')), 'database'],
    ['SQLite busy past its timeout', query(coded('SQLITE_BUSY')), 'database'],
    ['connection refused', coded('ECONNREFUSED'), 'database'],
    ['terminated by an administrator (57P01)', query(coded('57P01')), 'database'],
    ['server starting up (57P03)', coded('57P03'), 'database'],
    ['connection failure (08006)', coded('08006'), 'database'],
    ['too many connections (53300)', coded('53300'), 'database'],
    ['a connection lost mid-query', new Error('Connection terminated unexpectedly'), 'database'],
    ['a pool that could not connect in time', new Error('timeout exceeded when trying to connect'), 'database'],
    ['Redis with no connection', new Error("Stream isn't writeable and enableOfflineQueue options is false"), 'redis'],
    ['a Redis command over its timeout', new Error('Command timed out'), 'redis'],
    ['a wrapped Redis failure', new DependencyUnavailableError('redis', new Error('boom')), 'redis'],
  ])('%s → %s', (_name, error, dependency) => {
    expect(dependencyFailure(error)).toBe(dependency);
  });

  it.each([
    ['a unique violation', query(coded('23505'))],
    ['a SQLite constraint', query(coded('SQLITE_CONSTRAINT'))],
    ['a syntax error', query(coded('42601'))],
    ['a statement timeout (57014)', query(coded('57014'))],
    ['a plain bug', new TypeError('x is undefined')],
    ['not an error at all', 'oops'],
  ])('%s is not a dependency failure', (_name, error) => {
    expect(dependencyFailure(error)).toBeUndefined();
  });
});
