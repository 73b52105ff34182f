// The load generator, a process of its own so the harness can pin it to a core
// of its own: runs the loads given as JSON in argv[2] side by side (autocannon, or the
// paced and one-at-a-time senders below) and prints their summaries as one JSON line.
import autocannon from 'autocannon';
import { Agent, request } from 'node:http';

const loads = JSON.parse(process.argv[2]);

/** One request with node:http; resolves with its status and the ms since `from` (default: now). */
function send(load, url, body, agent, from = performance.now()) {
  return new Promise((resolve) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method: load.method ?? 'GET',
        localAddress: load.localAddress,
        agent,
        headers: { 'content-type': 'application/json', ...load.headers },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode, ms: performance.now() - from }));
      },
    );
    req.setTimeout((load.timeout ?? 30) * 1000, () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ status: 0, ms: performance.now() - from }));
    req.end(body);
  });
}

/** The same summary autocannon gives, from every answer's status and latency. */
function summarise(answers, started) {
  const ms = answers.map((a) => a.ms).sort((a, b) => a - b);
  const at = (q) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))];
  const statusCodeStats = {};
  for (const a of answers) statusCodeStats[a.status] = { count: (statusCodeStats[a.status]?.count ?? 0) + 1 };
  return {
    requests: { total: answers.length },
    duration: (performance.now() - started) / 1000,
    latency: {
      average: ms.reduce((sum, x) => sum + x, 0) / (ms.length || 1),
      p50: at(0.5),
      p99: at(0.99),
      max: ms.at(-1),
    },
    errors: answers.filter((a) => a.status === 0).length,
    timeouts: 0,
    non2xx: answers.filter((a) => a.status !== 0 && (a.status < 200 || a.status > 299)).length,
    statusCodeStats,
  };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One request at a time from `localAddress` (autocannon cannot choose its source address).
 * With `pauseMs`, a random pause of 0 to `pauseMs` after each answer, so the requests arrive
 * at random moments of the server's work instead of right after their own answer.
 */
async function sequentialFrom(load) {
  const url = new URL(load.url);
  const body = JSON.stringify(load.body);
  const started = performance.now();
  const answers = [];
  while (performance.now() - started < load.duration * 1000) {
    answers.push(await send(load, url, body, undefined));
    if (load.pauseMs) await sleep(Math.random() * load.pauseMs);
  }
  return summarise(answers, started);
}

/**
 * `overallRate` requests a second, evenly spaced (open loop), on at most `connections`
 * kept-alive connections; each latency counts from the moment its request was due, so a
 * request that waited for a free connection is charged the wait. Hand-written because
 * autocannon's rate mode sends each second's requests in a burst and "corrects" for
 * coordinated omission with an expected interval of `Math.ceil(1 / rate)`, i.e. 1 ms
 * (autocannon 8 and 9): every answer of L ms also records L - 1, L - 2, ... 1 ms, so one
 * slow answer weighs as much as dozens of fast ones in the percentiles.
 */
async function paced(load) {
  const url = new URL(load.url);
  const body = load.body === undefined ? undefined : JSON.stringify(load.body);
  const agent = new Agent({ keepAlive: true, maxSockets: load.connections ?? 1 });
  const interval = 1000 / load.overallRate;
  const started = performance.now();
  const pending = [];
  let late = 0; // the load generator's own lag: how long after its due time a request left
  for (let i = 0; i * interval < load.duration * 1000; i++) {
    const due = started + i * interval;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    late = Math.max(late, performance.now() - due);
    pending.push(send(load, url, body, agent, due));
  }
  const answers = await Promise.all(pending);
  agent.destroy();
  return { ...summarise(answers, started), senderLagMs: late };
}

function run(load) {
  if (load.localAddress) return sequentialFrom(load);
  if (load.overallRate) return paced(load);
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: load.url,
        method: load.method ?? 'GET',
        headers: { 'content-type': 'application/json', ...load.headers },
        body: load.body === undefined ? undefined : JSON.stringify(load.body),
        connections: load.connections,
        duration: load.duration,
        timeout: load.timeout ?? 30,
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
}

const results = await Promise.all(loads.map(run));
const summary = results.map((r, i) => ({
  requests: r.requests.total,
  duration: r.duration,
  rps: r.requests.total / r.duration,
  mean: r.latency.average,
  p50: r.latency.p50,
  p99: r.latency.p99,
  max: r.latency.max,
  errors: r.errors,
  timeouts: r.timeouts,
  // A load may expect another status (failed logins: 401); any other answer is then the failure.
  non2xx: loads[i].expectStatus
    ? Object.entries(r.statusCodeStats).reduce(
        (n, [code, { count }]) => (code === String(loads[i].expectStatus) ? n : n + count),
        0,
      )
    : r.non2xx,
  statusCodes: r.statusCodeStats,
  ...(r.senderLagMs === undefined ? {} : { senderLagMs: r.senderLagMs }),
}));
process.stdout.write(`${JSON.stringify(summary)}\n`);
