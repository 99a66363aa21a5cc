// Builds the service into dist/ (tsc, then tsc-alias for the @shenpi/* imports) and stamps the build
// with a hash of everything it read. `npm run build` always builds; `--if-stale` builds only when that
// hash changed since the stamped build (`npm run cli`, `npm start`), so on an unchanged checkout a
// command starts at once instead of after a 15–30 s compile.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** What tsconfig.build.json compiles (TypeScript; apps/web has its own build; specs are left out) and what shapes it. */
const SOURCE_DIRS = ['apps', 'libs', 'workflows'];
const CONFIG_FILES = ['tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];
const ENTRY_POINTS = ['dist/apps/api/main.js', 'dist/apps/worker/main.js', 'dist/apps/cli/main.js'];
const STAMP = 'dist/.source-hash';

const compiled = (path) => /\.[cm]?tsx?$/.test(path) && !path.endsWith('.spec.ts') && !path.startsWith(`apps${sep}web${sep}`);

/** A hash of the compiled sources (by path and content) and the configuration and lock file. */
export function sourceHash(root = ROOT) {
  const hash = createHash('sha256');
  const files = SOURCE_DIRS.filter((dir) => existsSync(join(root, dir)))
    .flatMap((dir) => readdirSync(join(root, dir), { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath ?? e.path, e.name)))
    .filter(compiled)
    .sort();
  for (const file of [...files, ...CONFIG_FILES.filter((f) => existsSync(join(root, f)))]) {
    hash.update(file.split(sep).join('/')).update('\0').update(readFileSync(join(root, file))).update('\0');
  }
  return hash.digest('hex');
}

/** True when an entry point is missing or the sources differ from those of the stamped build. */
export function isStale(root = ROOT) {
  const stamp = join(root, STAMP);
  return ENTRY_POINTS.some((p) => !existsSync(join(root, p))) || !existsSync(stamp) || readFileSync(stamp, 'utf8').trim() !== sourceHash(root);
}

/** Builds (when stale, unless forced); compiler output goes to stderr, so a command's stdout stays its own. */
export function build({ ifStale = false, root = ROOT } = {}) {
  if (ifStale && !isStale(root)) return false;
  const hash = sourceHash(root); // before compiling: a source edited meanwhile makes the next run build again
  const started = Date.now();
  if (ifStale) console.error('building dist/ (the sources changed since the last build)…');
  // tsc writes its output even when it fails: the stamp goes first, so a failed or interrupted build never passes for fresh.
  rmSync(join(root, STAMP), { force: true });
  const run = (script, args) => execFileSync(process.execPath, [join(root, 'node_modules', script), ...args], { cwd: root, stdio: ['ignore', 2, 2] });
  run('typescript/bin/tsc', ['-p', 'tsconfig.build.json']);
  run('tsc-alias/dist/bin/index.js', ['-p', 'tsconfig.build.json']);
  writeFileSync(join(root, STAMP), `${hash}\n`);
  if (ifStale) console.error(`built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    build({ ifStale: process.argv.includes('--if-stale') });
  } catch (err) {
    // tsc has printed its errors; its exit status is the build's.
    process.exit(typeof err?.status === 'number' && err.status > 0 ? err.status : 1);
  }
}
