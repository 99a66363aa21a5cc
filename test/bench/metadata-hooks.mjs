import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = new URL('../../', import.meta.url).href;
const tsVersion = JSON.parse(readFileSync(new URL('../../node_modules/typescript/package.json', import.meta.url), 'utf8')).version;
const options = {
  module: 'ESNext',
  target: 'ES2023',
  experimentalDecorators: true,
  emitDecoratorMetadata: true,
  useDefineForClassFields: false,
  esModuleInterop: true,
  isolatedModules: true,
  inlineSourceMap: true,
};
// Output is cached by the source's hash: the TypeScript compiler is loaded only when a file changed,
// so it is normally absent from the process (and from its resident memory).
const cacheDir = join(tmpdir(), `shenpi-bench-ts-${tsVersion}`);
mkdirSync(cacheDir, { recursive: true });
let ts;

let misses = 0;

async function transpile(fileName, source) {
  const key = createHash('sha256').update(JSON.stringify(options)).update('\0').update(fileName).update('\0').update(source).digest('hex');
  const cached = join(cacheDir, `${key}.js`);
  try {
    return await readFile(cached, 'utf8');
  } catch {
    misses++;
    ts ??= (await import('typescript')).default;
    const compilerOptions = ts.convertCompilerOptionsFromJson(options, '').options;
    const { outputText } = ts.transpileModule(source, { fileName, compilerOptions });
    const temporary = `${cached}.${process.pid}.tmp`;
    writeFileSync(temporary, outputText);
    renameSync(temporary, cached);
    return outputText;
  }
}

/**
 * Fills the cache for the files an API process loads (apps, libs, workflows, test/bench and
 * test/support, without specs), so that the processes started afterwards never load the compiler.
 * Returns how many files had to be compiled.
 */
export async function warmTranspileCache() {
  const before = misses;
  for (const dir of ['apps', 'libs', 'workflows', 'test/bench', 'test/support']) {
    const base = fileURLToPath(new URL(dir, root));
    for (const name of readdirSync(base, { recursive: true })) {
      if (!name.endsWith('.ts') || name.endsWith('.d.ts') || /\.(spec|int-spec|e2e-spec|rel-spec)\.ts$/.test(name)) continue;
      const fileName = join(base, name);
      await transpile(fileName, await readFile(fileName, 'utf8'));
    }
  }
  return misses - before;
}

/** The project's .ts files (not node_modules'), transpiled file by file with decorator metadata. */
export async function load(url, context, nextLoad) {
  if (url.startsWith(root) && !url.includes('/node_modules/') && new URL(url).pathname.endsWith('.ts')) {
    const fileName = fileURLToPath(new URL(new URL(url).pathname, 'file://'));
    return { format: 'module', source: await transpile(fileName, await readFile(fileName, 'utf8')), shortCircuit: true };
  }
  return nextLoad(url, context);
}
