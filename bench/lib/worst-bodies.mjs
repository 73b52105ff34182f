// The "worst bodies" scenario: the most expensive JSON bodies of at most 64 KiB we know of,
// each sent one at a time so its cost is its own, measured as the server's CPU time per
// request (/proc, what the event loop spent on it, GC included) and as the client's latency.
import { readFileSync } from 'node:fs';

const LIMIT = 64 * 1024;

/** Repeats `unit` (joined by `sep`) inside `head`…`tail` as often as fits in 64 KiB. */
function fill(head, unit, tail, sep = ',') {
  const n = Math.floor((LIMIT - head.length - tail.length + sep.length) / (unit.length + sep.length));
  return head + Array(n).fill(unit).join(sep) + tail;
}

/** Largest allowed: exactly at the node bound (256 keys and values), as expensive as we could make it. */
const atBound = (inner) => `{"title":"t","x":[${Array(250).fill(inner).join(',')}]}`;

export const SHAPES = [
  ['64 KiB of empty objects under an unknown key', '/api/tasks', fill('{"title":"t","x":[', '{}', ']}')],
  ['64 KiB of opening brackets', '/api/tasks', '['.repeat(LIMIT)],
  [
    '5,000 distinct keys in one object',
    '/api/tasks',
    `{${Array.from({ length: 5000 }, (_, i) => `"k${String(i).padStart(4, '0')}":0`).join(',')}}`,
  ],
  ['64 KiB of duplicate keys', '/api/tasks', fill('{', '"title":"t"', '}')],
  ['64 KiB array of numbers as the title', '/api/tasks', fill('{"title":[', '1', ']}')],
  ['64 KiB title of escaped NULs', '/api/tasks', fill('{"title":"', '\\u0000', '"}', '')],
  ['64 KiB description of escapes', '/api/tasks', fill('{"title":"t","description":"', '\\u00e9', '"}', '')],
  ['64 KiB unterminated string', '/api/tasks', `{"title":"${'a'.repeat(LIMIT - 12)}`],
  ['at the bound: 250 empty objects under an unknown key', '/api/tasks', atBound('{}')],
  ['at the bound: 250 strings of 250 bytes under an unknown key', '/api/tasks', atBound(`"${'a'.repeat(250)}"`)],
  [
    'at the bound: 127 unknown keys',
    '/api/tasks',
    `{${Array.from({ length: 127 }, (_, i) => `"k${i}":"${'v'.repeat(400)}"`).join(',')}}`,
  ],
  ['at the bound: 250 empty objects at login', '/api/login', atBound('{}').replace('"title"', '"username"')],
].map(([name, path, body]) => {
  if (Buffer.byteLength(body) > LIMIT) throw new Error(`${name}: ${Buffer.byteLength(body)} bytes`);
  return { name, path, body };
});

function cpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').pop().split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10; // ticks of 10 ms (USER_HZ 100)
}

/** Sends each shape `count` times, one at a time, and returns per-shape CPU ms per request and latency. */
export async function measureWorstBodies(server, token, count) {
  const rows = [];
  for (const shape of SHAPES) {
    const send = async () => {
      const started = performance.now();
      const res = await fetch(`${server.base}${shape.path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: shape.body,
      });
      await res.arrayBuffer();
      return { status: res.status, ms: performance.now() - started };
    };
    for (let i = 0; i < Math.max(5, count / 10); i++) await send(); // warm-up
    const before = cpuMs(server.pid);
    const results = [];
    for (let i = 0; i < count; i++) results.push(await send());
    const cpu = (cpuMs(server.pid) - before) / count;
    const latencies = results.map((r) => r.ms).sort((a, b) => a - b);
    rows.push({
      name: shape.name,
      path: shape.path,
      bytes: Buffer.byteLength(shape.body),
      statuses: [...new Set(results.map((r) => r.status))],
      cpuMsPerRequest: cpu,
      p99: latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))],
      max: latencies.at(-1),
    });
  }
  return rows;
}
