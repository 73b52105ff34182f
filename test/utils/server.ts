import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeProblems, OpenApiValidator } from './openapi-validator';

const root = join(__dirname, '..', '..');

export interface Server {
  url: string;
  process: ChildProcess;
  exited: Promise<number | null>;
  output: () => string;
}

/** Every server process started by this test file that has not exited yet. */
const running = new Set<ChildProcess>();

/** Kills what a failed or timed-out test left running (test/utils/close-all.ts, after each file). */
export async function killServers(): Promise<void> {
  await Promise.all(
    [...running].map((child) => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      return exited;
    }),
  );
}

/** How long a start may take: the service starts in ~2 s, far longer on a machine busy with other work. */
const START_DEADLINE_MS = 50_000;

/**
 * Starts the built service (dist/main.js) on a free loopback port and waits until it listens
 * and its database is open (readiness 200: it listens first, answering 503 meanwhile).
 */
export async function startServer(env: Record<string, string>, cwd: string): Promise<Server> {
  const child = spawn(process.execPath, [join(root, 'dist', 'main.js')], {
    cwd,
    // REDIS_TIMEOUT_MS: see createTestApp.
    env: { PATH: process.env.PATH ?? '', HOME: cwd, HOST: '127.0.0.1', PORT: '0', REDIS_TIMEOUT_MS: '1000', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const deadline = Date.now() + START_DEADLINE_MS;
  for (;;) {
    const port = /Listening on http:\/\/127\.0\.0\.1:(\d+)\/api/.exec(out)?.[1];
    const url = port ? `http://127.0.0.1:${port}` : undefined;
    const ready = url
      ? await fetch(`${url}/api/health/ready`).then(
          (r) => r.ok,
          () => false,
        )
      : false;
    if (url && ready) return { url, process: child, exited, output: () => out };
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not start:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, url ? 200 : 50));
  }
}

let committed: OpenApiValidator | undefined;
/** The committed document (client/openapi.json; CI proves it is the current one) for servers run as processes. */
const committedDocument = () =>
  (committed ??= new OpenApiValidator(JSON.parse(readFileSync(join(root, 'client', 'openapi.json'), 'utf8'))));

/** A JSON request to a started server; an answer that breaks the OpenAPI document fails the call. */
export async function call(server: Server, method: string, path: string, body?: unknown, token?: string) {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(20_000),
  });
  const text = await res.text();
  const exchange = { method, url: path, status: res.status, headers: Object.fromEntries(res.headers), body: text };
  const problems = committedDocument().problems(exchange);
  if (problems.length > 0) throw new Error(describeProblems(exchange, problems));
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}

/** A sample of a started server's GET /metrics (open outside production), summed over its labels. */
export async function metric(server: Server, name: string): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`, { signal: AbortSignal.timeout(20_000) })).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name} `) || line.startsWith(`${name}{`))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

/** Sends SIGTERM to the servers that started and waits until they have exited. */
export async function stopServers(...servers: Array<Server | undefined>): Promise<void> {
  for (const s of servers) s?.process.kill('SIGTERM');
  await Promise.all(servers.flatMap((s) => (s ? [s.exited] : [])));
}
