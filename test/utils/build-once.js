// Jest globalSetup for the e2e projects: the specs that run the service as real
// processes (dist/main.js, dist/cli/…) need a build, made once before any of
// them starts so no spec can delete dist/ under another.
const { execFileSync } = require('node:child_process');
const { join } = require('node:path');

module.exports = function buildOnce() {
  execFileSync('npx', ['nest', 'build'], { cwd: join(__dirname, '..', '..'), stdio: 'ignore' });
};
