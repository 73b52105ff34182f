import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { closedPort } from '../utils/ports';

/**
 * PostgreSQL and Redis servers of a fault spec's own, on free loopback ports in
 * a scratch directory: the spec stops and starts them, so they must not be the
 * ones other test passes share. Needs Debian's postgresql and redis-server
 * (.ci/run installs them); as root, PostgreSQL runs as the postgres user.
 */
const root = userInfo().uid === 0;

function pgBin(tool: string): string {
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base) ? readdirSync(base).sort((a, b) => Number(a) - Number(b)) : [];
  if (versions.length === 0) throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql');
  return join(base, versions[versions.length - 1], 'bin', tool);
}

function asPostgres(tool: string, args: string[]): void {
  const [command, argv] = root ? ['runuser', ['-u', 'postgres', '--', pgBin(tool), ...args]] : [pgBin(tool), args];
  execFileSync(command, argv, { stdio: 'ignore', timeout: 60_000 });
}

export interface Postgres {
  url: string;
  stop(): void;
  start(): void;
  /** Ends every connection to the database but the caller's own, as an operator or a failover would. */
  terminateAll(): Promise<number>;
  destroy(): void;
}

export async function startPostgres(): Promise<Postgres> {
  const dir = mkdtempSync(join(tmpdir(), 'task-api-faults-pg-'));
  chmodSync(dir, 0o711); // the postgres user must reach its data directory
  const data = join(dir, 'data');
  mkdirSync(data);
  if (root) chownSync(data, Number(execFileSync('id', ['-u', 'postgres']).toString()), -1);
  const port = await closedPort();
  asPostgres('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres']);
  const start = () =>
    asPostgres('pg_ctl', [
      '-D',
      data,
      '-w',
      '-l',
      join(data, 'server.log'),
      '-o',
      `-c listen_addresses=127.0.0.1 -p ${port} -k ${data}`,
      'start',
    ]);
  const stop = () => asPostgres('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
  start();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  return {
    url,
    start,
    stop,
    terminateAll: async () => {
      const client = new Client({ connectionString: url });
      await client.connect();
      try {
        const { rowCount } = await client.query(
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
        );
        return rowCount ?? 0;
      } finally {
        await client.end();
      }
    },
    destroy: () => {
      try {
        stop();
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface RedisServer {
  url: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Freezes the server (SIGSTOP): connections stay open, nothing answers. */
  freeze(): void;
  thaw(): void;
  destroy(): Promise<void>;
}

export async function startRedis(): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'task-api-faults-redis-'));
  const port = await closedPort();
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
      {
        stdio: 'ignore',
      },
    );
    for (let i = 0; i < 100; i++) {
      try {
        execFileSync('redis-cli', ['-p', String(port), 'ping'], { stdio: 'ignore', timeout: 5_000 });
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    throw new Error('redis-server did not start');
  };
  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((r) => running.once('exit', r));
    running.kill('SIGCONT');
    running.kill('SIGTERM');
    await exited;
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}/0`,
    start,
    stop,
    freeze: () => child?.kill('SIGSTOP'),
    thaw: () => child?.kill('SIGCONT'),
    destroy: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
