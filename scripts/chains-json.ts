// `npm run chains:json`: writes workflows/*/*.chain.json from the chains' TypeScript definitions, and
// removes a chain's JSON whose definition is gone. Run it after changing a definition: the unit test
// `workflows/chain-json.spec.ts` fails while a file differs from what this writes.
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHAIN_JSON, chainJsonFiles } from '../workflows/chain-json.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const files = chainJsonFiles();
for (const { path, text } of files) {
  const at = join(root, path);
  if (existsSync(at) && readFileSync(at, 'utf8') === text) continue;
  writeFileSync(at, text);
  console.log(`wrote ${path}`);
}
const written = new Set(files.map((f) => f.path));
for (const entry of readdirSync(join(root, 'workflows'), { recursive: true, withFileTypes: true })) {
  const path = relative(root, join(entry.parentPath ?? entry.path, entry.name)).split('\\').join('/');
  if (entry.isFile() && CHAIN_JSON.test(path) && !written.has(path)) {
    rmSync(join(root, path));
    console.log(`removed ${path} (no definition writes it)`);
  }
}
console.log(`${files.length} chain definitions in workflows/*/*.chain.json`);
