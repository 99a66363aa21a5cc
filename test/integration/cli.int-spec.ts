import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DomainError } from '@shenpi/domain';
import { Engine } from '@shenpi/engine';
import { chainVariants } from '@shenpi/workflows';
import { runCli } from '../../apps/cli/cli.js';
import { asOwner } from '../support/as-owner.js';
import { testDatabase } from '../support/test-app.js';

describe('command line', () => {
  const database = testDatabase();
  const env = database.url ? { DATABASE_URL: database.url, DATABASE_SCHEMA: database.schema } : { SQLITE_PATH: database.sqlitePath };
  const run = async (...argv: string[]) => {
    const lines: string[] = [];
    const code = await runCli(argv, env, { log: (l) => lines.push(l), error: (l) => lines.push(l) });
    return { code, out: lines.join('\n') };
  };
  afterAll(() => database.drop());

  it('seeds the demo organisation once, adds users, and verifies the audit chain', async () => {
    const first = await run('seed-demo');
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/created: drafter, counsel, secretary, leader, admin, supervisor, office/);
    expect(first.out).toMatch(/password for the new users \(shown once\): \S{8,}/);
    const again = await run('seed-demo');
    expect(again.out).not.toMatch(/created|password/);

    expect((await run('user', 'add', '--username', 'counsel2', '--password', 'pw-123456', '--department', 'city-sti', '--role', 'legal-counsel', '--role', 'drafter')).out).toMatch(
      /^created user counsel2/,
    );
    await expect(run('user', 'add', '--username', 'x1', '--password', 'p', '--department', 'city-sti', '--role', 'janitor')).rejects.toThrow(DomainError);
    await expect(run('user', 'add', '--username', 'x2', '--password', 'p', '--department', 'nowhere', '--role', 'drafter')).rejects.toThrow(/no department/);
    expect((await run('frobnicate')).code).toBe(2);

    const verified = await run('audit', 'verify');
    expect(verified).toEqual({ code: 0, out: expect.stringMatching(/^audit chain intact: 2[0-9] entries, head [0-9a-f]{64}$/) });

    const engine = await Engine.open({ database });
    try {
      await asOwner(engine, "UPDATE audit_entries SET action = 'forged' WHERE seq = 5");
    } finally {
      await engine.close();
    }
    expect(await run('audit', 'verify')).toEqual({ code: 1, out: 'audit chain broken at entry 5: stored columns differ from the hashed text' });
  });

  it('publishes a shipped variant or a definition file as the next version, refusing a bad one with its paths', async () => {
    expect(await run('chain', 'publish', 'annual-report-sign-off')).toEqual({ code: 0, out: 'published annual-report version 2' });
    expect(await run('chain', 'publish', 'annual-report-sign-off')).toEqual({ code: 0, out: 'annual-report version 2 already has this definition' });
    expect((await run('chain', 'publish', 'no-such-variant')).code).toBe(2);
    const file = join(mkdtempSync(join(tmpdir(), 'shenpi-chain-')), 'bad.json');
    const bad = JSON.parse(JSON.stringify(chainVariants['annual-report-sign-off']));
    bad.steps[4].assignee.role = 'janitor';
    writeFileSync(file, JSON.stringify(bad));
    const refused = await run('chain', 'publish', file);
    expect(refused.code).toBe(1);
    expect(refused.out).toContain('steps[4].assignee.role');
  });
});
