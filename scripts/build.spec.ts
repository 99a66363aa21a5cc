import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

interface BuildScript {
  sourceHash(root: string): string;
  isStale(root: string): boolean;
  build(options: { ifStale?: boolean; root: string }): boolean;
}
// A plain .mjs (it runs before anything is compiled), loaded by path so the type-check needs no declaration for it.
const script = resolve('scripts/build.mjs');
const { sourceHash, isStale, build } = (await import(script)) as BuildScript;

/** A checkout in miniature: the three entry points, a lib, what the build skips, and the real node_modules. */
function checkout(): { root: string; write(path: string, text: string): void } {
  const root = mkdtempSync(join(tmpdir(), 'shenpi-build-'));
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  for (const app of ['api', 'worker', 'cli']) write(`apps/${app}/main.ts`, `import { answer } from '../../libs/x/answer.js';\nconsole.log('${app}', answer);\n`);
  write('libs/x/answer.ts', 'export const answer: number = 42;\n');
  write('libs/x/answer.spec.ts', '// a spec\n');
  write('libs/x/README.md', '# x\n');
  write('workflows/w/w.chain.json', '{}\n');
  write('apps/web/src/app.tsx', '// the web UI has a build of its own\n');
  write('package-lock.json', '{}\n');
  write('tsconfig.json', '{}\n');
  write(
    'tsconfig.build.json',
    JSON.stringify({
      compilerOptions: { outDir: 'dist', rootDir: '.', module: 'nodenext', moduleResolution: 'nodenext', target: 'ES2023', types: [], strict: true },
      include: ['apps', 'libs', 'workflows'],
      exclude: ['**/*.spec.ts', 'apps/web'],
    }),
  );
  symlinkSync(resolve('node_modules'), join(root, 'node_modules'));
  return { root, write };
}

describe('scripts/build.mjs: build only when the sources changed', () => {
  const { root, write } = checkout();
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('hashes what tsc compiles and what shapes it, not specs, READMEs, chain JSON or the web UI', () => {
    const before = sourceHash(root);
    write('libs/x/answer.spec.ts', '// another spec\n');
    write('libs/x/README.md', '# x, explained\n');
    write('workflows/w/w.chain.json', '{ "key": "w" }\n');
    write('apps/web/src/app.tsx', '// edited\n');
    expect(sourceHash(root)).toBe(before);

    write('libs/x/answer.ts', 'export const answer: number = 43;\n');
    const edited = sourceHash(root);
    expect(edited).not.toBe(before);
    renameSync(join(root, 'libs/x/answer.ts'), join(root, 'libs/x/renamed.ts'));
    expect(sourceHash(root)).not.toBe(edited);
    renameSync(join(root, 'libs/x/renamed.ts'), join(root, 'libs/x/answer.ts'));
    expect(sourceHash(root)).toBe(edited);
    write('package-lock.json', '{ "lockfileVersion": 3 }\n');
    expect(sourceHash(root)).not.toBe(edited);
  });

  it('builds a fresh checkout, then not again until a source changes; a failed build stays stale', () => {
    const good = 'export const answer: number = 44;\n';
    write('libs/x/answer.ts', good);
    expect(isStale(root)).toBe(true);
    expect(build({ ifStale: true, root })).toBe(true);
    expect(isStale(root)).toBe(false);
    expect(build({ ifStale: true, root })).toBe(false);

    write('libs/x/answer.ts', 'export const answer: number = 45;\n');
    expect(isStale(root)).toBe(true);
    write('libs/x/answer.ts', good); // by content, not by time: back to what was built
    expect(isStale(root)).toBe(false);

    // A type error: tsc fails but still writes dist/, so even the sources of the last good build are stale now.
    write('libs/x/answer.ts', 'export const answer: number = "forty-four";\n');
    expect(() => build({ ifStale: true, root })).toThrow();
    expect(isStale(root)).toBe(true);
    write('libs/x/answer.ts', good);
    expect(isStale(root)).toBe(true);
    expect(build({ ifStale: true, root })).toBe(true);
    expect(isStale(root)).toBe(false);

    rmSync(join(root, 'dist/apps/cli/main.js'));
    expect(isStale(root)).toBe(true);
  });
});
