// Builds the web UI into dist/web when its sources changed (or with --force): type-check, then Vite.
// `npm run build:web` and `npm start` (prestart) run it; the browser tests do too.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '../..');
const out = join(root, 'dist/web');
const stampFile = join(out, '.source-hash');

/** A hash of everything the build reads: the app's sources and the installed versions (the lock). */
export function sourceHash() {
  const hash = createHash('sha256');
  const files = readdirSync(here, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && !e.name.endsWith('.md'))
    .map((e) => join(e.parentPath ?? e.path, e.name))
    .sort();
  for (const file of files) hash.update(relative(here, file)).update('\0').update(readFileSync(file)).update('\0');
  hash.update(readFileSync(join(root, 'package-lock.json')));
  return hash.digest('hex');
}

export function isStale() {
  return !existsSync(join(out, 'index.html')) || !existsSync(stampFile) || readFileSync(stampFile, 'utf8').trim() !== sourceHash();
}

export async function buildWeb({ force = false, typecheck = true } = {}) {
  if (!force && !isStale()) return false;
  const started = Date.now();
  if (typecheck) execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(here, 'tsconfig.json')], { stdio: 'inherit', cwd: root });
  const { build } = await import('vite');
  await build({ configFile: join(here, 'vite.config.ts'), logLevel: 'warn' });
  writeFileSync(stampFile, sourceHash() + '\n');
  console.log(`web UI built into dist/web in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  await buildWeb({ force: args.includes('--force'), typecheck: !args.includes('--no-typecheck') });
}
