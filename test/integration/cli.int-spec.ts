import { DomainError } from '@shenpi/domain';
import { Engine } from '@shenpi/engine';
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
});
