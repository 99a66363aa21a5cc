import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const require = createRequire(import.meta.url);
const semver = require('semver') as { satisfies(version: string, range: string): boolean; gt(a: string, b: string): boolean };

/** A checkout in miniature: the script, a package.json as npm writes it, a fake `node` and `npm` on PATH, and a cache. */
function machine() {
  const root = mkdtempSync(join(tmpdir(), 'shenpi-with-node-'));
  const write = (path: string, text: string, executable = false) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
    if (executable) chmodSync(join(root, path), 0o755);
  };
  mkdirSync(join(root, 'checkout/scripts'), { recursive: true });
  copyFileSync(resolve('scripts/with-node'), join(root, 'checkout/scripts/with-node'));
  write('checkout/.nvmrc', '24\n');
  write('checkout/package.json', '{\n  "name": "x",\n  "engines": {\n    "node": ">=24.11"\n  },\n  "overrides": {}\n}\n');
  // A `node` whose `-p EXPR` sees process.versions.node as `version` (this node evaluates it); `npm` only records that it was asked.
  const fakeNode = (version: string) => `#!/bin/sh\n[ "$1" = -p ] || exit 9\nexec '${process.execPath}' -p "((process) => ($2))({ versions: { node: '${version}' } })"\n`;
  write('cache/shenpi/node-24/bin/node', fakeNode('24.22.3'), true);
  write('bin/npm', `#!/bin/sh\necho "$*" >> "${join(root, 'npm.log')}"\nexit 1\n`, true);
  // The tools the script uses, and no other: the machine's own node must not answer for the fake one.
  mkdirSync(join(root, 'tools'));
  const which = (tool: string) => execFileSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim();
  const bash = which('bash');
  for (const tool of ['sed', 'tr', 'head', 'uname', 'dirname', 'mktemp', 'rm', 'mkdir', 'mv', 'tar']) {
    symlinkSync(which(tool), join(root, 'tools', tool));
  }
  return {
    root,
    cached: (version: string) => write('cache/shenpi/node-24/bin/node', fakeNode(version), true),
    /** `scripts/with-node --env` on a machine whose node is `version` (none: no node at all). */
    env(version: string | null) {
      rmSync(join(root, 'bin/node'), { force: true });
      if (version) write('bin/node', fakeNode(version), true);
      rmSync(join(root, 'npm.log'), { force: true });
      const run = spawnSync(bash, [join(root, 'checkout/scripts/with-node'), '--env'], {
        encoding: 'utf8',
        env: { PATH: `${join(root, 'bin')}:${join(root, 'tools')}`, HOME: root, XDG_CACHE_HOME: join(root, 'cache') },
      });
      let npm = '';
      try {
        npm = readFileSync(join(root, 'npm.log'), 'utf8').trim();
      } catch {
        // not asked
      }
      return { status: run.status, stdout: run.stdout, stderr: run.stderr, npm };
    },
  };
}

describe('scripts/with-node: a Node.js at least the minimum of package.json engines', () => {
  const m = machine();
  afterAll(() => rmSync(m.root, { recursive: true, force: true }));

  it('runs as is on the minimum or later, and puts the cached release first on an older one, comparing major.minor as numbers', () => {
    for (const version of ['24.11.0', '24.22.3', '25.0.0', '26.1.0']) expect([version, m.env(version)]).toEqual([version, { status: 0, stdout: '', stderr: '', npm: '' }]);
    // 24.0–24.10 are the 24s npm would warn about (EBADENGINE): 24.9 is older than 24.11, though "9" > "1".
    for (const version of ['24.10.3', '24.9.0', '24.0.0', '20.19.0', '9.11.0', null]) {
      const run = m.env(version);
      expect([version, run.status, run.npm]).toEqual([version, 0, '']);
      expect(run.stdout).toContain(`export npm_config_nodedir=${join(m.root, 'cache/shenpi/node-24')}`);
      expect(run.stdout).toMatch(new RegExp(`export PATH=${join(m.root, 'cache/shenpi/node-24/bin')}:`));
    }
  });

  it('fetches the newest release of the major line again when the one it cached is older than the minimum', () => {
    m.cached('24.10.0');
    const run = m.env('20.19.0');
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('fetching Node.js 24');
    expect(run.npm).toMatch(/^pack --silent node-[a-z]+-[a-z0-9]+@24$/);
    m.cached('24.22.3');
  });
});

describe('the Node.js this project requires', () => {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } };
  const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, { engines?: { node?: string } | string[] }> };

  it('states its minimum as ">=MAJOR.MINOR" (what scripts/with-node reads), on the major line of .nvmrc', () => {
    expect(pkg.engines.node).toMatch(/^>=\d+\.\d+$/);
    expect(readFileSync('.nvmrc', 'utf8').trim()).toBe(pkg.engines.node.slice(2).split('.')[0]);
    expect(lock.packages[''].engines).toEqual(pkg.engines);
  });

  it('is no older than any locked package needs on that line (npm ci would warn EBADENGINE)', () => {
    const minimum = `${pkg.engines.node.slice(2)}.0`;
    const major = Number(minimum.split('.')[0]);
    // The oldest release of the line each package accepts: the project's minimum must be at least each.
    const line = Array.from({ length: 100 * 100 }, (_, k) => `${major}.${Math.floor(k / 100)}.${k % 100}`);
    const needs: [string, string][] = [];
    for (const [name, entry] of Object.entries(lock.packages)) {
      const range = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
      if (!name || !range) continue;
      const oldest = line.find((v) => semver.satisfies(v, range));
      needs.push([name, oldest ?? `no ${major}.x`]);
    }
    expect(needs.length).toBeGreaterThan(50);
    expect(needs.filter(([, oldest]) => oldest.startsWith('no ') || semver.gt(oldest, minimum))).toEqual([]);
  });
});
