import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// npm scripts (npm start, npm test, npm run bench) run on the `node` package's
// binary, whatever Node the host has; this runs inside a Jest worker, which is
// where a wrong runtime would otherwise go unnoticed.
describe('runtime', () => {
  const root = join(__dirname, '..');
  const pinned = readFileSync(join(root, '.nvmrc'), 'utf8').trim();

  it('is the Node pinned in .nvmrc', () => {
    expect(process.version).toBe(`v${pinned}`);
    expect(process.versions.node.split('.')[0]).toBe('24');
  });

  it('pins the same version in the `node` dependency, and engines asks for 24', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(pkg.dependencies.node).toBe(pinned);
    expect(pkg.engines.node).toMatch(/^>=24\./);
  });
});
