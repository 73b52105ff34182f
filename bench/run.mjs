// npm run bench [-- --quick]: builds the service, starts it and the baseline
// (bench/baseline/server.mjs) on one core over the same freshly seeded database,
// drives both with autocannon from another core, prints one table and writes
// it as JSON under bench/results/. See README.md, "Performance".
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import bcrypt from 'bcrypt';
import { openDatabase } from './lib/database.mjs';
import { BENCH_PASSWORD, HEAVY_USERS, seedBase, seedHeavy, seedScale, USERS } from './lib/seed.mjs';
import { measureWorstBodies } from './lib/worst-bodies.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const quick = process.argv.includes('--quick');
const seconds = quick ? 3 : 10;
const loginSeconds = quick ? 5 : 30;
const warmupSeconds = quick ? 1 : 3;
const connections = 20;
const cost = Number(process.env.BCRYPT_COST ?? 12);

// Targets (issues 7, 13 and 14): ratios against the baseline measured in the same run, the
// login median of another address during a one-address login storm against its idle median,
// the service with metrics against itself without, and the event-loop cost of the worst body.
const TARGETS = {
  readRatio: 0.5,
  p99DuringLogins: 50,
  bcryptShare: 0.9,
  scaleSpread: 0.2,
  rssMb: 150,
  metricsCost: 0.05,
  stormSlowdown: 2,
  patRatio: 0.9,
  worstBodyMs: 5,
};
// The storm (issue 13): one address, 24 connections of logins, under the default rate limit (600 a minute).
const STORM = { connections: 24, perSecond: 9, from: '127.0.0.1', victimFrom: '127.0.0.2' };
// Issue 13: another user's list p99 while one user with 1,000,000 tasks lists, and that user's page
// against one of a user with 100 tasks (mean latency, i.e. throughput at the same connections).
const HEAVY_TARGETS = { otherP99: 50, heavyRatio: 3 };

const log = (line) => process.stderr.write(`bench: ${line}\n`);

// ---- cores -----------------------------------------------------------------

/** The CPUs this process may use, from `taskset -pc` (Linux); null when taskset is missing. */
function allowedCpus() {
  const out = spawnSync('taskset', ['-pc', String(process.pid)], { encoding: 'utf8' });
  if (out.status !== 0) return null;
  const list = out.stdout.split(':').pop().trim();
  return list.split(',').flatMap((part) => {
    const [a, b = a] = part.split('-').map(Number);
    return Array.from({ length: b - a + 1 }, (_, i) => a + i);
  });
}
const cpus = allowedCpus();
const pinned = cpus !== null && cpus.length >= 2;
const serverCores = pinned ? 1 : availableParallelism();
const pin = (core, command, args) => (pinned ? ['taskset', ['-c', String(core), command, ...args]] : [command, args]);

// ---- processes -------------------------------------------------------------

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
    s.on('error', fail);
  });
}

async function waitHealthy(base, child, name) {
  const deadline = Date.now() + 60_000;
  // The service listens before its database is open (readiness is 503 until then); the baseline has no readiness.
  const probe = name === 'baseline' ? '/api/health' : '/api/health/ready';
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode} (see its log)`);
    try {
      if ((await fetch(`${base}${probe}`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${name} did not become healthy within 60 s`);
}

/**
 * Node's flags as production runs the service (`npm run start:prod`: "node [flags] dist/main.js").
 * The baseline runs with the same, so both get the same V8.
 */
function productionFlags() {
  const [node, ...args] = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts['start:prod'].split(
    /\s+/,
  );
  if (node !== 'node' || args.at(-1) !== 'dist/main.js')
    throw new Error('start:prod must be "node [flags] dist/main.js"');
  return args.slice(0, -1);
}

/**
 * The servers started and not yet stopped. While one is measured the others are paused
 * (SIGSTOP): idle, they still share its CPU, and wake for timers and for V8's idle-time
 * garbage collection (tens of ms of a full GC of the heap an earlier scenario left), which
 * the scheduler lets run ahead of the busy server: another user's p99 in the heavy-user rows
 * went from 47-67 ms to 18 ms with them stopped.
 */
const live = new Set();
/** The load generator running, if any: an interrupted bench ends it too. */
let loading = null;
// Interrupted (Ctrl-C, a CI timeout) while the others are paused: a stopped process keeps a
// SIGINT or SIGTERM pending until continued, so without this they would outlive the bench.
// stop() continues each one and waits for its exit, with its output still being read.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, async () => {
    loading?.kill('SIGTERM');
    await Promise.allSettled([...live].map(stop));
    process.exit(128 + (signal === 'SIGINT' ? 2 : 15));
  });
}

async function startServer(name, nodeArgs, env, workDir) {
  const port = await freePort();
  const out = createWriteStream(join(workDir, `${name}.log`));
  const [command, args] = pin(cpus?.[0], process.execPath, nodeArgs);
  const child = spawn(command, args, {
    cwd: root,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  const base = `http://127.0.0.1:${port}`;
  const server = { name, base, child, pid: child.pid, metricsToken: env.METRICS_TOKEN };
  live.add(server);
  try {
    await waitHealthy(base, child, name);
  } catch (error) {
    await stop(server); // it is in no caller's list yet, so nothing else would
    throw error;
  }
  return server;
}

async function stop(server) {
  live.delete(server);
  if (server.child.exitCode !== null) return;
  const exited = new Promise((r) => server.child.once('exit', r));
  server.child.kill('SIGCONT');
  server.child.kill('SIGTERM');
  await exited;
}

/** The resident set of a process now, in MB (Linux /proc), or null elsewhere. */
function rssMb(pid) {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return kb ? Number(kb[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** CPU ticks (1/100 s) the process has used, from /proc; null elsewhere. */
function cpuTicks(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').pop().split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return null;
  }
}

/** How many of the process's threads are running or waiting for a CPU (state R, Linux /proc); null elsewhere. */
function runnableThreads(pid) {
  try {
    return readdirSync(`/proc/${pid}/task`).filter((tid) => {
      try {
        return readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8').split(') ').pop().startsWith('R');
      } catch {
        return false; // the thread ended meanwhile
      }
    }).length;
  } catch {
    return null;
  }
}

/**
 * Waits until the server has been quiet for half a second: requests the load generator
 * abandoned at the end of a run (logins queued behind bcrypt above all) must not be
 * charged to the next run. Quiet means no thread runnable, not little CPU used: on a
 * machine busy with other work a starved server uses little CPU while hashes still wait
 * (a CPU-time test let 20 abandoned logins of every run leak into the next ones).
 */
async function quiesce(server) {
  const deadline = Date.now() + 120_000;
  let quiet = 0;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    const busy = runnableThreads(server.pid);
    if (busy === null) return quiesceByCpu(server, deadline);
    quiet = busy === 0 ? quiet + 1 : 0;
    if (quiet >= 10) return;
  }
  log(`${server.name} still busy after 120 s; going on`);
}

/** Without /proc task states: a quarter-second with at most 2 ticks of CPU. */
async function quiesceByCpu(server, deadline) {
  let before = cpuTicks(server.pid);
  while (before !== null && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    const now = cpuTicks(server.pid);
    if (now - before <= 2) return;
    before = now;
  }
}

/** Runs loads side by side in the pinned load process while sampling the server's RSS. */
async function drive(server, loads) {
  let peak = rssMb(server.pid);
  const sampler = setInterval(() => {
    const now = rssMb(server.pid);
    if (now !== null) peak = Math.max(peak ?? 0, now);
  }, 50);
  const [command, args] = pin(cpus?.[1], process.execPath, [join(root, 'bench/lib/load.mjs'), JSON.stringify(loads)]);
  const paused = [...live].filter((s) => s !== server && s.child.exitCode === null);
  for (const s of paused) s.child.kill('SIGSTOP');
  const ticksBefore = cpuTicks(server.pid);
  const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  loading = child;
  let stdout = '';
  child.stdout.on('data', (c) => (stdout += c));
  const code = await new Promise((r) => child.once('exit', r));
  loading = null;
  clearInterval(sampler);
  for (const s of paused) s.child.kill('SIGCONT');
  if (code !== 0) throw new Error(`load generator exited with ${code}`);
  if (server.child.exitCode !== null) throw new Error(`${server.name} died during the load`);
  const ticks = ticksBefore === null ? null : cpuTicks(server.pid) - ticksBefore;
  await quiesce(server);
  const results = JSON.parse(stdout);
  // The server's own CPU time per answer: on a machine busy with other work, steadier than req/s.
  const answered = results.reduce((n, r) => n + r.requests, 0);
  const cpuUs = ticks === null || answered === 0 ? null : (ticks * 10_000) / answered;
  return results.map((r) => ({ ...r, rssMb: peak, cpuUs }));
}

// ---- the run ---------------------------------------------------------------

async function login(server, username) {
  const res = await fetch(`${server.base}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: BENCH_PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`${server.name}: login as ${username} answered ${res.status}`);
  return (await res.json()).access_token;
}

async function createDatabase(workDir) {
  const url = process.env.DATABASE_URL;
  if (!url || url.startsWith('sqlite:'))
    return { url: `sqlite:${join(workDir, 'bench.sqlite')}`, drop: async () => {} };
  // A database of its own on the given PostgreSQL server, dropped at the end.
  const { default: pg } = await import('pg');
  const name = `bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const own = new URL(url);
  own.pathname = `/${name}`;
  return {
    url: own.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

function measureHashMs() {
  const [command, args] = pin(cpus?.[0], process.execPath, [
    join(root, 'bench/lib/hash-time.mjs'),
    String(cost),
    quick ? '3' : '7',
  ]);
  const out = spawnSync(command, args, { cwd: root, encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`hash timing failed: ${out.stderr}`);
  return Number(out.stdout.trim());
}

async function main() {
  log('building the service (npm run build)');
  const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('build failed');

  const workDir = mkdtempSync(join(tmpdir(), 'task-api-bench-'));
  const database = await createDatabase(workDir);
  const env = {
    NODE_ENV: 'production',
    DATABASE_URL: database.url,
    JWT_SECRET: randomBytes(32).toString('base64url'),
    BCRYPT_COST: String(cost),
    // GET /metrics is closed in production without one; the failed-login check reads a counter there.
    METRICS_TOKEN: randomBytes(32).toString('base64url'),
  };
  // Every request comes from one address: the per-address limits on /api/login would measure themselves.
  const oneAddress = {
    RATE_LIMIT_PER_MINUTE: '1000000',
    // The failed-login storm is one username from one address: a one-second window keeps it below the limit.
    LOGIN_MAX_FAILURES: '1000',
    LOGIN_FAILURE_WINDOW: '1',
    BCRYPT_MAX_PER_CLIENT: '1000',
    BCRYPT_MAX_PER_USERNAME: '1000',
    // Hashes abandoned by an earlier scenario's timed-out requests still run; the backlog bound would refuse the next one's.
    BCRYPT_MAX_BACKLOG: '100000',
    // One user writes as fast as it can: the per-user write limit would measure itself too.
    WRITE_RATE_LIMIT_PER_MINUTE: '1000000',
    // And its tasks would pass MAX_TASKS_PER_USER (10,000) within a full run's 10 s: 409s, not writes.
    MAX_TASKS_PER_USER: '10000000',
  };
  const servers = [];
  try {
    log(
      `pinning: ${pinned ? `servers on CPU ${cpus[0]}, load on CPU ${cpus[1]}` : 'none (taskset missing or one CPU)'}`,
    );
    const service = await startServer(
      'service',
      [...productionFlags(), 'dist/main.js'],
      { ...env, ...oneAddress },
      workDir,
    );
    servers.push(service);
    log('seeding 1,000 users, 100 products, 1,000 tasks');
    const db = await openDatabase(database.url);
    await seedBase(db, await bcrypt.hash(BENCH_PASSWORD, cost));
    const baseline = await startServer(
      'baseline',
      [...productionFlags(), 'bench/baseline/server.mjs'],
      { ...env, ...oneAddress },
      workDir,
    );
    servers.push(baseline);
    // The same service without GET /metrics and its per-request hook: what metrics cost.
    const bare = await startServer(
      'bare',
      [...productionFlags(), 'dist/main.js'],
      { ...env, ...oneAddress, METRICS_ENABLED: 'false' },
      workDir,
    );
    servers.push(bare);

    const tokens = new Map();
    for (const s of [service, baseline, bare]) {
      tokens.set(s, { reader: await login(s, USERS.reader), writer: await login(s, USERS.writer) });
    }
    // A personal access token of the reader (the service only: the baseline has none, it runs its JWT path).
    const patRes = await fetch(`${service.base}/api/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.get(service).reader}` },
      body: JSON.stringify({ name: 'bench', scopes: ['tasks:read'] }),
    });
    if (patRes.status !== 201) throw new Error(`service: creating a personal access token answered ${patRes.status}`);
    tokens.get(service).pat = (await patRes.json()).token;
    tokens.get(baseline).pat = tokens.get(baseline).reader;
    const hashMs = measureHashMs();
    const bound = serverCores / (hashMs / 1000);
    log(`one bcrypt compare at cost ${cost}: ${hashMs.toFixed(1)} ms, so at most ${bound.toFixed(2)} logins/s`);

    const loads = {
      me: (s) => ({ url: `${s.base}/api/me`, headers: { authorization: `Bearer ${tokens.get(s).reader}` } }),
      tasks: (s) => ({
        url: `${s.base}/api/tasks?limit=20`,
        headers: { authorization: `Bearer ${tokens.get(s).reader}` },
      }),
      tasksPat: (s) => ({
        url: `${s.base}/api/tasks?limit=20`,
        headers: { authorization: `Bearer ${tokens.get(s).pat}` },
      }),
      failedLogin: (s) => ({
        url: `${s.base}/api/login`,
        method: 'POST',
        body: { username: USERS.login, password: 'not-the-bench-password' },
        expectStatus: 401,
      }),
      create: (s) => ({
        url: `${s.base}/api/tasks`,
        method: 'POST',
        headers: { authorization: `Bearer ${tokens.get(s).writer}` },
        body: { title: 'Benchmark task', description: 'written under load' },
      }),
      login: (s) => ({
        url: `${s.base}/api/login`,
        method: 'POST',
        body: { username: USERS.login, password: BENCH_PASSWORD },
      }),
    };
    const rows = [];
    /** One scenario on both servers, the service first; `loadsFor` gives the parallel loads, `pick` the reported one. */
    const scenario = async (key, title, loadsFor, pick = 0, pair = [service, baseline]) => {
      const row = { key, title };
      for (const [i, s] of pair.entries()) {
        log(`${title}: ${s.name}`);
        const warm = await drive(s, loadsFor(s, warmupSeconds));
        if (s === service) row.warmupFailed = warm[pick].statusCodes?.['401']?.count ?? 0;
        const results = await drive(s, loadsFor(s, null));
        row[i === 0 ? 'service' : 'baseline'] = { ...results[pick], others: results.filter((_, j) => j !== pick) };
      }
      rows.push(row);
    };
    const timed = (load, duration, more = {}) => ({ connections, duration, ...load, ...more });

    await scenario('me', 'GET /api/me', (s, w) => [timed(loads.me(s), w ?? seconds)]);
    // Service with metrics against the same service without (in the baseline's columns).
    await scenario(
      'meMetrics',
      'GET /api/me, baseline = metrics off',
      (s, w) => [timed(loads.me(s), w ?? seconds)],
      0,
      [service, bare],
    );
    await scenario('tasks', 'GET /api/tasks?limit=20 (1,000 tasks)', (s, w) => [timed(loads.tasks(s), w ?? seconds)]);
    await scenario('tasksPat', 'GET /api/tasks?limit=20, personal access token (baseline: JWT)', (s, w) => [
      timed(loads.tasksPat(s), w ?? seconds),
    ]);
    await scenario('create', 'POST /api/tasks', (s, w) => [timed(loads.create(s), w ?? seconds)]);
    log('worst bodies (service only): each shape sent one at a time');
    const worstBodies = await measureWorstBodies(service, tokens.get(service).writer, quick ? 30 : 200);
    await quiesce(service);
    await scenario('login', `POST /api/login (cost ${cost})`, (s, w) => [timed(loads.login(s), w ?? loginSeconds)]);
    await scenario(
      'meDuringLogin',
      'GET /api/me during logins (500 req/s)',
      (s, w) => [
        timed(loads.me(s), w ?? loginSeconds, { connections: 10, overallRate: 500 }),
        timed(loads.login(s), w ?? loginSeconds),
      ],
      0,
    );
    const storedBefore = await countFailedLogins(db);
    const refusedBefore = await failedLoginsCounted(service);
    await scenario('failedLogin', `POST /api/login, wrong password (cost ${cost}; audit events stored)`, (s, w) => [
      timed(loads.failedLogin(s), w ?? loginSeconds),
    ]);
    // Every refused login of the storm (warm-up included) is an audit event row, none dropped.
    await new Promise((r) => setTimeout(r, 1000));
    const failedStorm = rows.at(-1);
    failedStorm.eventsStored = (await countFailedLogins(db)) - storedBefore;
    // Expected: every login the service refused, read from its own counter. The 401s the load
    // generator saw are fewer: the requests in flight when a run's time is up are abandoned by
    // autocannon, yet the service still checks their passwords and records them (20 a run).
    failedStorm.eventsExpected = (await failedLoginsCounted(service)) - refusedBefore;
    failedStorm.answered401 = failedStorm.warmupFailed + (failedStorm.service.statusCodes?.['401']?.count ?? 0);
    rows.push(await loginStorm(env, workDir, servers, hashMs));
    log('growing the tasks table to 1,000,000 rows');
    await seedScale(db);
    await db.close();
    await scenario('tasksScaled', 'GET /api/tasks?limit=20 (1,000,000 tasks)', (s, w) => [
      timed(loads.tasks(s), w ?? seconds),
    ]);

    // Issue 13: the reader reads its list at a steady rate while a user with 100 tasks,
    // then one with 1,000,000, lists with and without done= on 20 connections. The service
    // only: the baseline's COUNT(*) per page is exactly what the service no longer does.
    log('seeding a user with 100 tasks and one with 1,000,000');
    const heavyDb = await openDatabase(database.url);
    await seedHeavy(heavyDb, await bcrypt.hash(BENCH_PASSWORD, cost));
    await heavyDb.close();
    for (const [role, name] of Object.entries(HEAVY_USERS)) tokens.get(service)[role] = await login(service, name);
    const listing = (role, w) => {
      const auth = { authorization: `Bearer ${tokens.get(service)[role]}` };
      const duration = w ?? seconds;
      return [
        timed({ url: `${service.base}/api/tasks?limit=20`, headers: auth }, duration, { connections: connections / 2 }),
        timed({ url: `${service.base}/api/tasks?done=true&limit=20`, headers: auth }, duration, {
          connections: connections / 2,
        }),
        timed(loads.tasks(service), duration, { connections: 5, overallRate: 100 }),
      ];
    };
    await scenario('lightUser', 'GET /api/tasks, ±done=, by a user with 100 tasks', (_s, w) => listing('light', w), 0, [
      service,
    ]);
    await scenario(
      'heavyUser',
      'GET /api/tasks, ±done=, by a user with 1,000,000 tasks',
      (_s, w) => listing('heavy', w),
      0,
      [service],
    );
    for (const s of servers) await stop(s);

    const report = evaluate(rows, { hashMs, bound, worstBodies });
    print(report);
    mkdirSync(join(root, 'bench/results'), { recursive: true });
    const file = join(
      root,
      'bench/results',
      `${new Date().toISOString().replace(/[:.]/g, '-')}${quick ? '-quick' : ''}.json`,
    );
    writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
    log(`results written to ${file}`);
    const broken = rows.filter((r) => [r.service, r.baseline].some((x) => x && failures(x) > 0));
    // Every worst body must be refused with a 4xx, never a 5xx or a 2xx.
    for (const w of worstBodies.filter((b) => b.statuses.some((code) => code < 400 || code >= 500))) {
      broken.push({ title: `worst body "${w.name}" (answered ${w.statuses.join(', ')})` });
    }
    if (broken.length) {
      log(`requests failed in: ${broken.map((r) => r.title).join(', ')} (server logs in ${workDir})`);
      process.exitCode = 1;
      return;
    }
    rmSync(workDir, { recursive: true, force: true });
  } finally {
    for (const s of servers) await stop(s);
    await database.drop();
  }
}

/** The service's own count of refused logins (`auth_logins_total{outcome="failed"}` at GET /metrics). */
async function failedLoginsCounted(service) {
  const res = await fetch(`${service.base}/metrics`, { headers: { authorization: `Bearer ${service.metricsToken}` } });
  if (res.status !== 200) throw new Error(`${service.name}: GET /metrics answered ${res.status}`);
  const line = /^auth_logins_total\{outcome="failed"\} (\d+)$/m.exec(await res.text());
  return line ? Number(line[1]) : 0;
}

async function countFailedLogins(db) {
  const row = await db.get("SELECT COUNT(*) AS n FROM audit_events WHERE type = 'login.failed'");
  return Number(row.n);
}

/**
 * Another address's logins, one at a time, alone and then during a login storm from one
 * address, on an instance of the service with production's limits (the storm's refusals,
 * 429s from BCRYPT_MAX_PER_CLIENT, are the point; the other address must get none).
 * Service only: the baseline has no fairness to measure, and its FIFO queue grows without end.
 *
 * The other address pauses a random 0 to 2 hash times after each answer, so its logins
 * arrive at random moments of the storm's hashes, as independent users' logins do. Sent
 * back to back, each login would arrive just as the hash slot it left was handed to the
 * storm: that client asks for the whole slot and gets half of it, exactly 2× by fair sharing
 * whatever the scheduler (it measured 1.83-2.01× in 0.9.0), which says nothing about how
 * long the storm makes a login wait.
 */
async function loginStorm(env, workDir, servers, hashMs) {
  const title = `POST /api/login, other address, during a ${STORM.connections}-connection login storm`;
  // The main instance idles meanwhile: only one server works on the pinned CPU.
  const service = await startServer('service-defaults', [...productionFlags(), 'dist/main.js'], env, workDir);
  servers.push(service);
  try {
    const victim = (duration) => ({
      url: `${service.base}/api/login`,
      method: 'POST',
      body: { username: USERS.login, password: BENCH_PASSWORD },
      localAddress: STORM.victimFrom,
      pauseMs: 2 * hashMs,
      duration,
    });
    const storm = (duration) => ({
      url: `${service.base}/api/login`,
      method: 'POST',
      body: { username: 'seed1', password: BENCH_PASSWORD },
      connections: STORM.connections,
      overallRate: STORM.perSecond,
      duration,
    });
    log(`${title}: idle`);
    await drive(service, [victim(warmupSeconds)]);
    const [idle] = await drive(service, [victim(loginSeconds)]);
    log(`${title}: storm`);
    await drive(service, [storm(warmupSeconds)]);
    const [during, flood] = await drive(service, [victim(loginSeconds), storm(loginSeconds)]);
    return { key: 'loginStorm', title, service: { ...during, idle, storm: flood }, baseline: null };
  } finally {
    await stop(service);
    servers.splice(servers.indexOf(service), 1);
  }
}

const failures = (r) => r.errors + r.timeouts + r.non2xx + (r.others ?? []).reduce((n, o) => n + failures(o), 0);

function evaluate(rows, { hashMs, bound, worstBodies }) {
  const by = Object.fromEntries(rows.map((r) => [r.key, r]));
  const ratio = (key) => by[key].service.rps / by[key].baseline.rps;
  const metricsCost = by.meMetrics.service.cpuUs / by.meMetrics.baseline.cpuUs - 1;
  const peakRss = Math.max(...rows.map((r) => r.service.rssMb ?? 0));
  const storm = by.loginStorm.service;
  const slowdown = storm.p50 / storm.idle.p50;
  const scaled = by.tasksScaled.service.rps / by.tasks.service.rps;
  const worstBody = Math.max(...worstBodies.map((b) => b.cpuMsPerRequest));
  const targets = [
    { name: 'GET /api/me ≥ 0.5× baseline', value: ratio('me'), met: ratio('me') >= TARGETS.readRatio, unit: '×' },
    {
      name: 'GET /api/tasks ≥ 0.5× baseline',
      value: ratio('tasks'),
      met: ratio('tasks') >= TARGETS.readRatio,
      unit: '×',
    },
    {
      name: 'GET /api/me p99 during logins ≤ 50 ms',
      value: by.meDuringLogin.service.p99,
      met: by.meDuringLogin.service.p99 <= TARGETS.p99DuringLogins,
      unit: ' ms',
    },
    {
      name: `logins ≥ 90% of the bcrypt bound (${bound.toFixed(2)}/s)`,
      value: (by.login.service.rps / bound) * 100,
      met: by.login.service.rps / bound >= TARGETS.bcryptShare,
      unit: '%',
    },
    {
      name: 'GET /api/tasks at 1,000,000 tasks within 20% of 1,000',
      value: scaled,
      met: Math.abs(1 - scaled) <= TARGETS.scaleSpread,
      unit: '×',
    },
    { name: 'peak RSS ≤ 150 MB', value: peakRss, met: peakRss <= TARGETS.rssMb, unit: ' MB' },
    {
      name: 'GET /api/tasks by personal access token within 10% of the JWT path',
      value: by.tasksPat.service.rps / by.tasks.service.rps,
      met: by.tasksPat.service.rps / by.tasks.service.rps >= TARGETS.patRatio,
      unit: '×',
    },
    {
      name: `failed logins ≥ 90% of the bcrypt bound (${bound.toFixed(2)}/s), each stored as an audit event`,
      value: (by.failedLogin.service.rps / bound) * 100,
      met:
        by.failedLogin.service.rps / bound >= TARGETS.bcryptShare &&
        by.failedLogin.eventsStored === by.failedLogin.eventsExpected &&
        by.failedLogin.eventsExpected >= by.failedLogin.answered401,
      unit: '%',
    },
    {
      name: `metrics cost on GET /api/me < 5% of CPU per request (${f0(by.meMetrics.baseline.cpuUs)} → ${f0(by.meMetrics.service.cpuUs)} µs; req/s ${f0(by.meMetrics.baseline.rps)} → ${f0(by.meMetrics.service.rps)})`,
      value: metricsCost * 100,
      met: metricsCost < TARGETS.metricsCost,
      unit: '%',
    },
    {
      name: `another address's login p50 during a one-address login storm ≤ 2× idle (${f0(storm.idle.p50)} → ${f0(storm.p50)} ms)`,
      value: slowdown,
      met: slowdown <= TARGETS.stormSlowdown,
      unit: '×',
    },
    {
      name: `worst body ≤ ${TARGETS.worstBodyMs} ms of event loop (CPU per request, worst shape)`,
      value: worstBody,
      met: worstBody <= TARGETS.worstBodyMs,
      unit: ' ms',
    },
  ];
  // The heavy user's two loads (with and without done=) against the light user's, by mean latency.
  const listingMean = (key) => {
    const loads = [by[key].service, by[key].service.others[0]];
    return loads.reduce((sum, l) => sum + l.mean * l.requests, 0) / loads.reduce((n, l) => n + l.requests, 0);
  };
  const other = by.heavyUser.service.others[1];
  // No answer at all is no figure, not a fast one.
  const otherP99 = other.requests > 0 ? other.p99 : null;
  const heavyRatio = listingMean('heavyUser') / listingMean('lightUser') || null;
  targets.push(
    {
      name: "another user's GET /api/tasks p99 while a 1,000,000-task user lists ≤ 50 ms",
      value: otherP99,
      met: otherP99 !== null && otherP99 <= HEAVY_TARGETS.otherP99,
      unit: ' ms',
    },
    {
      name: "a 1,000,000-task user's page ≤ 3× a 100-task user's (mean latency)",
      value: heavyRatio,
      met: heavyRatio !== null && heavyRatio <= HEAVY_TARGETS.heavyRatio,
      unit: '×',
    },
  );
  return {
    date: new Date().toISOString(),
    quick,
    node: process.version,
    database: process.env.DATABASE_URL?.startsWith('postgres') ? 'postgres' : 'sqlite',
    pinned,
    serverCores,
    bcrypt: { cost, hashMs, loginsPerSecondBound: bound },
    seconds: { read: seconds, login: loginSeconds, warmup: warmupSeconds },
    scenarios: rows,
    worstBodies,
    targets,
  };
}

const f0 = (n) => (n === null || n === undefined ? '-' : Math.round(n).toLocaleString('en-US'));

function print(report) {
  const f = (n, d = 0) =>
    n === null || n === undefined
      ? '-'
      : n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
  const header = [
    'scenario',
    'req/s',
    'p50 ms',
    'p99 ms',
    'errors',
    'peak RSS MB',
    'CPU µs/req',
    'baseline req/s',
    'baseline p99 ms',
    'ratio',
  ];
  const lines = report.scenarios.map((r) => [
    r.title,
    f(r.service.rps, r.service.rps < 100 ? 2 : 0),
    f(r.service.p50),
    f(r.service.p99),
    f(failures(r.service)),
    f(r.service.rssMb),
    f(r.service.cpuUs),
    r.baseline ? f(r.baseline.rps, r.baseline.rps < 100 ? 2 : 0) : '-',
    r.baseline ? f(r.baseline.p99) : '-',
    r.baseline ? `${(r.service.rps / r.baseline.rps).toFixed(2)}×` : '-',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const row = (cells) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  console.log(row(header));
  console.log(`|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
  for (const l of lines) console.log(row(l));
  console.log('');
  console.log(
    `${report.pinned ? 'Service and baseline pinned to one CPU, autocannon to another' : 'No CPU pinning'}; ` +
      `${report.database}; Node ${report.node}; ${report.quick ? 'quick mode (figures not meaningful)' : `${report.seconds.read} s per read/write scenario, ${report.seconds.login} s for logins`}; ` +
      `one bcrypt compare at cost ${report.bcrypt.cost}: ${report.bcrypt.hashMs.toFixed(1)} ms.`,
  );
  const failed = report.scenarios.find((r) => r.key === 'failedLogin');
  if (failed)
    console.log(
      `Failed-login storm: ${failed.eventsStored} of ${failed.eventsExpected} refused logins stored as audit events ` +
        `(${failed.answered401} of them answered before the load generator's time was up).`,
    );
  console.log('');
  const storm = report.scenarios.find((r) => r.key === 'loginStorm')?.service;
  if (storm) {
    const codes = Object.entries(storm.storm.statusCodes ?? {})
      .map(([code, { count }]) => `${count} × ${code}`)
      .join(', ');
    console.log(
      `Login storm: ${STORM.connections} connections from ${STORM.from} at ${STORM.perSecond}/s (${codes}); ` +
        `${STORM.victimFrom} logging in one at a time, at random moments: p50 ${f0(storm.idle.p50)} ms alone, ${f0(storm.p50)} ms during the storm (p99 ${f0(storm.idle.p99)} → ${f0(storm.p99)} ms).`,
    );
    console.log('');
  }
  console.log('Worst bodies (≤ 64 KiB, one at a time, service only):');
  console.log('');
  const wHeader = ['body', 'route', 'status', 'CPU ms/request', 'p99 ms', 'max ms'];
  const wLines = report.worstBodies.map((b) => [
    b.name,
    `POST ${b.path}`,
    b.statuses.join(', '),
    f(b.cpuMsPerRequest, 2),
    f(b.p99, 1),
    f(b.max, 1),
  ]);
  const wWidths = wHeader.map((h, i) => Math.max(h.length, ...wLines.map((l) => l[i].length)));
  const wRow = (cells) =>
    `| ${cells.map((c, i) => (i < 2 ? c.padEnd(wWidths[i]) : c.padStart(wWidths[i]))).join(' | ')} |`;
  console.log(wRow(wHeader));
  console.log(`|${wWidths.map((w, i) => (i < 2 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
  for (const l of wLines) console.log(wRow(l));
  console.log('');
  for (const t of report.targets) {
    console.log(`${t.met ? 'met    ' : 'MISSED '} ${t.name}: ${f(t.value, t.unit === '×' ? 2 : 1)}${t.unit}`);
  }
}

main().catch((error) => {
  log(error.stack ?? String(error));
  process.exitCode = 1;
});
