// The load generator, a process of its own so the harness can pin it to a core
// of its own: runs the autocannon loads given as JSON in argv[2] side by side and
// prints their summaries as one JSON line.
import autocannon from 'autocannon';
import { request } from 'node:http';

const loads = JSON.parse(process.argv[2]);

/** One request at a time from `localAddress` (autocannon cannot choose its source address). */
function sequentialFrom(load) {
  const url = new URL(load.url);
  const body = JSON.stringify(load.body);
  const once = () =>
    new Promise((resolve) => {
      const started = performance.now();
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: load.method ?? 'GET',
          localAddress: load.localAddress,
          headers: { 'content-type': 'application/json', ...load.headers },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode, ms: performance.now() - started }));
        },
      );
      req.setTimeout((load.timeout ?? 30) * 1000, () => req.destroy(new Error('timeout')));
      req.on('error', () => resolve({ status: 0, ms: performance.now() - started }));
      req.end(body);
    });
  return (async () => {
    const started = performance.now();
    const answers = [];
    while (performance.now() - started < load.duration * 1000) answers.push(await once());
    const ms = answers.map((a) => a.ms).sort((a, b) => a - b);
    const at = (q) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))];
    const statusCodeStats = {};
    for (const a of answers) statusCodeStats[a.status] = { count: (statusCodeStats[a.status]?.count ?? 0) + 1 };
    return {
      requests: { total: answers.length },
      duration: (performance.now() - started) / 1000,
      latency: { p50: at(0.5), p99: at(0.99), max: ms.at(-1) },
      errors: answers.filter((a) => a.status === 0).length,
      timeouts: 0,
      non2xx: answers.filter((a) => a.status !== 0 && (a.status < 200 || a.status > 299)).length,
      statusCodeStats,
    };
  })();
}

function run(load) {
  if (load.localAddress) return sequentialFrom(load);
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: load.url,
        method: load.method ?? 'GET',
        headers: { 'content-type': 'application/json', ...load.headers },
        body: load.body === undefined ? undefined : JSON.stringify(load.body),
        connections: load.connections,
        duration: load.duration,
        overallRate: load.overallRate,
        timeout: load.timeout ?? 30,
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
}

const results = await Promise.all(loads.map(run));
const summary = results.map((r) => ({
  requests: r.requests.total,
  duration: r.duration,
  rps: r.requests.total / r.duration,
  p50: r.latency.p50,
  p99: r.latency.p99,
  max: r.latency.max,
  errors: r.errors,
  timeouts: r.timeouts,
  non2xx: r.non2xx,
  statusCodes: r.statusCodeStats,
}));
process.stdout.write(`${JSON.stringify(summary)}\n`);
