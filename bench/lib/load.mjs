// The load generator, a process of its own so the harness can pin it to a core
// of its own: runs the autocannon loads given as JSON in argv[2] side by side and
// prints their summaries as one JSON line.
import autocannon from 'autocannon';

const loads = JSON.parse(process.argv[2]);

function run(load) {
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
  mean: r.latency.average,
  p50: r.latency.p50,
  p99: r.latency.p99,
  max: r.latency.max,
  errors: r.errors,
  timeouts: r.timeouts,
  non2xx: r.non2xx,
  statusCodes: r.statusCodeStats,
}));
process.stdout.write(`${JSON.stringify(summary)}\n`);
