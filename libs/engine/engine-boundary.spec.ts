import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * docs/architecture.md: the apps and the scheduler reach the engine through its entry points (use
 * cases and read models). They open no transaction of their own (`engine.writer`), read no table
 * directly (`engine.database`) and do not import the persistence lib.
 */
const ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const BYPASSES = [/engine!?\.writer\b/, /engine!?\.database\b/, /from '@shenpi\/persistence'/];

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = `${dir}/${name}`;
    if (statSync(join(ROOT, path)).isDirectory()) return sourceFiles(path);
    return /\.ts$/.test(name) && !/\.spec\.ts$/.test(name) ? [path] : [];
  });
}

export const bypasses = (source: string) => source.split('\n').filter((line) => BYPASSES.some((b) => b.test(line)));

describe('apps and the scheduler use the engine through its entry points', () => {
  it('recognises a bypass', () => {
    expect(bypasses("const x = await this.engine.writer.run((repos) => repos.tasks.get(id));\nimport { Sql } from '@shenpi/persistence';")).toHaveLength(2);
    expect(bypasses('await this.engine.transition.execute(cmd);')).toEqual([]);
  });

  it('no file of apps/api, apps/cli, apps/worker or libs/scheduling bypasses them', () => {
    const files = ['apps/api', 'apps/cli', 'apps/worker', 'libs/scheduling'].flatMap(sourceFiles);
    expect(files.length).toBeGreaterThan(30);
    expect(files.flatMap((path) => bypasses(readFileSync(join(ROOT, path), 'utf8')).map((line) => `${path}: ${line.trim()}`))).toEqual([]);
  });
});
