import { call, Server } from '../utils/server';

/** Polls readiness until it is 200 (bounded): the database and Redis answer again. */
export async function waitReady(server: Server, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await call(server, 'GET', '/api/health/ready').catch(() => undefined);
    if (res?.status === 200) return;
    if (server.process.exitCode !== null) throw new Error(`service exited:\n${server.output()}`);
    if (Date.now() > deadline) throw new Error(`not ready after ${timeoutMs} ms: ${JSON.stringify(res?.body)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The service's outage lines (JSON at warn) about one dependency, from its output so far. */
export function dependencyWarnings(output: string, dependency: string): Array<{ msg: string }> {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { level: number; context?: string; dependency?: string; msg: string })
    .filter((l) => l.level === 40 && l.context === 'Dependencies' && l.dependency === dependency);
}
