import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { lintChainDefinition } from '@shenpi/chains';
import { CHAIN_JSON, chainJsonFiles } from './chain-json.js';

// jest runs from the repository root, where the files' paths start.
const files = chainJsonFiles();
const onDisk = readdirSync('workflows', { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile())
  .map((e) => relative('.', join(e.parentPath ?? e.path, e.name)).split('\\').join('/'))
  .filter((path) => CHAIN_JSON.test(path));

describe('the shipped chains as JSON (workflows/*/*.chain.json, written by npm run chains:json)', () => {
  it('ships one file for each chain and variant, and none without a definition', () => {
    expect(files.map((f) => f.path).sort()).toEqual([
      'workflows/annual-report/annual-report-sign-off.chain.json',
      'workflows/annual-report/annual-report.chain.json',
      'workflows/major-decision/major-decision.chain.json',
      'workflows/normative-document/normative-document.chain.json',
    ]);
    expect(onDisk.sort()).toEqual(files.map((f) => f.path).sort());
  });

  it.each(files)('$path is what its TypeScript definition generates (else: npm run chains:json)', ({ path, text }) => {
    expect(existsSync(path)).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe(text);
  });

  it.each(files)('$path passes the chain lint with no errors and no warnings', ({ path }) => {
    const lint = lintChainDefinition(JSON.parse(readFileSync(path, 'utf8')));
    expect({ errors: lint.errors, warnings: lint.warnings }).toEqual({ errors: [], warnings: [] });
  });
});
