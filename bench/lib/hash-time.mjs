// One bcrypt verification at a cost, timed: the median of several async compares
// one after another, run on the server's core by the harness. Prints milliseconds.
import bcrypt from 'bcrypt';

const cost = Number(process.argv[2]);
const rounds = Number(process.argv[3] ?? 5);
const hash = await bcrypt.hash('bench-timing-password', cost);
const times = [];
for (let i = 0; i < rounds; i++) {
  const start = process.hrtime.bigint();
  await bcrypt.compare('bench-timing-password', hash);
  times.push(Number(process.hrtime.bigint() - start) / 1e6);
}
times.sort((a, b) => a - b);
process.stdout.write(`${times[Math.floor(times.length / 2)]}\n`);
