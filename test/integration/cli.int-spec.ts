import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemActor, type Principal } from '@shenpi/domain';
import { Engine } from '@shenpi/engine';
import { chainVariants, shippedChains } from '@shenpi/workflows';
import { chainJsonFiles } from '../../workflows/chain-json.js';
import { runCli } from '../../apps/cli/cli.js';
import { editText } from '../support/as-owner.js';
import { REPORT_OUTLINE } from '../support/report-outline.js';
import { testDatabase } from '../support/test-app.js';

/** The CLI as an operator runs it on `database`, with the service's signing key in `keyFile`: each run's exit code and output. */
function cliOn(database: ReturnType<typeof testDatabase>, keyFile: string) {
  const env = { AUDIT_SIGNING_KEY_FILE: keyFile, ...(database.url ? { DATABASE_URL: database.url, DATABASE_SCHEMA: database.schema } : { SQLITE_PATH: database.sqlitePath }) };
  const run = async (...argv: string[]) => {
    const lines: string[] = [];
    const code = await runCli(argv, env, { log: (l) => lines.push(l), error: (l) => lines.push(l) });
    return { code, out: lines.join('\n') };
  };
  return { env, run };
}

describe('command line', () => {
  const database = testDatabase();
  // The service's signing key, as the operator's environment names it (not the checkout's data/).
  const keyFile = join(mkdtempSync(join(tmpdir(), 'shenpi-key-')), 'audit-signing-key.pem');
  const { run } = cliOn(database, keyFile);
  afterAll(() => database.drop());

  it('seeds the demo organisation once, adds users, and verifies the audit chain', async () => {
    const first = await run('seed-demo');
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/created: drafter, counsel, secretary, leader, admin, supervisor, office/);
    expect(first.out).toMatch(/password for the new users \(shown once\): \S{8,}/);
    const again = await run('seed-demo');
    expect(again.out).not.toMatch(/created|password/);

    expect((await run('user', 'add', '--username', 'counsel2', '--password', 'river-lantern-47', '--department', 'city-sti', '--role', 'legal-counsel', '--role', 'drafter')).out).toMatch(
      /^created user counsel2/,
    );
    expect(await run('user', 'add', '--username', 'x1', '--password', 'river-lantern-47', '--department', 'city-sti', '--role', 'janitor')).toEqual({
      code: 1,
      out: 'user add refused:\n  role: unknown role(s): janitor',
    });
    expect((await run('user', 'add', '--username', 'x2', '--password', 'river-lantern-47', '--department', 'nowhere', '--role', 'drafter')).out).toMatch(/no department/);
    expect((await run('frobnicate')).code).toBe(2);

    const verified = await run('audit', 'verify');
    expect(verified).toEqual({ code: 0, out: expect.stringMatching(/^audit chain intact: 2[0-9] entries, head [0-9a-f]{64}$/) });

    const engine = await Engine.open({ database });
    try {
      await editText(engine, 5);
    } finally {
      await engine.close();
    }
    expect(await run('audit', 'verify')).toEqual({ code: 1, out: 'audit chain broken at entry 5: hash does not match the entry' });
  });

  it('user add refuses a password a guesser would try first, naming the reason; seed-demo keeps the documented demo password', async () => {
    const add = (password: string) => run('user', 'add', '--username', 'newcomer', '--password', password, '--department', 'city-sti', '--role', 'drafter');
    expect(await add('x')).toEqual({ code: 1, out: 'user add refused:\n  password: must be at least 12 characters long (this one has 1)' });
    expect((await add('newcomer-2026-pw')).out).toBe('user add refused:\n  password: must not contain the username');
    expect((await add('Password2026!')).out).toBe('user add refused:\n  password: is too common: it is on the list of passwords people choose first');
    expect((await add('qwertyuiop123')).out).toMatch(/too common/);
    // Nothing was created by the refusals.
    expect((await run('user', 'disable', '--username', 'newcomer')).out).toBe('user disable refused:\n  username: no user "newcomer"');
    expect((await add('blue-heron-morning')).out).toMatch(/^created user newcomer/);
    // An existing user given a weak new password keeps the old one.
    expect((await add('short')).code).toBe(1);
    // The README's demo: seed-demo --password demo-pass (the demo organisation is not held to the policy).
    expect((await run('seed-demo', '--password', 'demo-pass')).code).toBe(0);
  });

  it('user disable, enable and revoke: each a change of the user, audited, and ending their sessions', async () => {
    const engine = await Engine.open({ database });
    const epoch = async () => Number((await engine.database.reader.one<{ e: number }>("SELECT token_epoch AS e FROM users WHERE username = 'counsel2'"))!.e);
    try {
      const start = await epoch();
      expect(await run('user', 'disable', '--username', 'counsel2')).toEqual({ code: 0, out: 'disabled user counsel2; their sessions have ended' });
      expect(await run('user', 'disable', '--username', 'counsel2')).toEqual({ code: 0, out: 'user counsel2 was already disabled' });
      expect(await engine.authentication.login('counsel2', 'river-lantern-47')).toBeNull();
      expect(await run('user', 'enable', '--username', 'counsel2')).toEqual({ code: 0, out: 'enabled user counsel2' });
      expect(await engine.authentication.login('counsel2', 'river-lantern-47')).toMatchObject({ username: 'counsel2' });
      expect(await epoch()).toBe(start + 2);
      expect((await run('user', 'revoke', '--username', 'counsel2', '--role', 'drafter', '--department', 'city-sti')).code).toBe(0);
      expect(await epoch()).toBe(start + 3);
      // A new password for an existing user ends their sessions too.
      expect((await run('user', 'add', '--username', 'counsel2', '--password', 'a-fresh-passphrase', '--role', 'legal-counsel', '--department', 'city-sti')).code).toBe(0);
      expect(await epoch()).toBe(start + 4);
      // The same password again changes nothing, and ends nothing (a re-run script, a restarted seed).
      expect((await run('user', 'add', '--username', 'counsel2', '--password', 'a-fresh-passphrase', '--role', 'legal-counsel', '--department', 'city-sti')).code).toBe(0);
      expect(await epoch()).toBe(start + 4);
      expect((await run('user', 'revoke', '--username', 'counsel2', '--role', 'janitor')).out).toBe('user revoke refused:\n  role: unknown role: janitor');
      expect((await run('user', 'disable')).code).toBe(2);
      const actions = await engine.database.reader.all<{ action: string }>("SELECT action FROM audit_entries WHERE category = 'configuration' AND details LIKE '%counsel2%' ORDER BY seq");
      expect(actions.map((a) => a.action)).toEqual(['create-user', 'grant-role', 'grant-role', 'disable-user', 'enable-user', 'revoke-role', 'reset-password']);
    } finally {
      await engine.close();
    }
  });
});

describe('chain publish', () => {
  const database = testDatabase();
  const keyFile = join(mkdtempSync(join(tmpdir(), 'shenpi-key-')), 'audit-signing-key.pem');
  const { run } = cliOn(database, keyFile);
  afterAll(() => database.drop());

  /** A new annual report for `year`, created as the web UI creates one (chain "annual-report"): the chain version and steps it got. */
  async function newReport(year: number, chain = 'annual-report') {
    const engine = await Engine.open({ database });
    try {
      const drafter = (await engine.authentication.login('drafter', 'demo-pass')) as Principal;
      const doc = await engine.createDocument.execute({ principal: drafter, chain, title: `报告${year}`, year, departmentId: 'city-sti', content: REPORT_OUTLINE });
      const { definition } = await engine.chainReadModel.chainVersion(doc.chainKey, doc.chainVersion);
      return { chain: `${doc.chainKey}@${doc.chainVersion}`, steps: (definition as { steps: { key: string }[] }).steps.map((s) => s.key) };
    } finally {
      await engine.close();
    }
  }

  it('publishes a variant under its own key: new annual reports keep their chain until --as makes it theirs', async () => {
    expect((await run('seed-demo', '--password', 'demo-pass')).code).toBe(0);
    expect(await newReport(2023)).toEqual({ chain: 'annual-report@1', steps: expect.not.arrayContaining(['sign-off']) });

    expect(await run('chain', 'publish', 'annual-report-sign-off')).toEqual({
      code: 0,
      out: 'published annual-report-sign-off version 1\nnew annual-report documents use annual-report version 1; documents on chain annual-report-sign-off use this one (--as annual-report makes it the chain of new annual-report documents)',
    });
    expect(await newReport(2024)).toEqual({ chain: 'annual-report@1', steps: expect.not.arrayContaining(['sign-off']) });
    // The variant is a chain of its own that documents may be started on.
    expect(await newReport(2024, 'annual-report-sign-off')).toEqual({ chain: 'annual-report-sign-off@1', steps: expect.arrayContaining(['sign-off']) });

    expect(await run('chain', 'publish', 'annual-report-sign-off', '--as', 'annual-report')).toEqual({
      code: 0,
      out: 'published annual-report version 2\nnew annual-report documents use annual-report version 2',
    });
    expect(await newReport(2025)).toEqual({ chain: 'annual-report@2', steps: expect.arrayContaining(['sign-off']) });
    expect(await run('chain', 'publish', 'annual-report-sign-off', '--as', 'annual-report')).toEqual({
      code: 0,
      out: 'annual-report version 2 already has this definition\nnew annual-report documents use annual-report version 2',
    });
  });

  it('refuses what it cannot publish: exit 2 for bad arguments, 1 with the paths for a definition the lint refuses', async () => {
    expect((await run('chain', 'publish', 'no-such-variant')).out).toMatch(/^no chain variant "no-such-variant" \(variants: annual-report-sign-off\)/);
    expect((await run('chain', 'publish', 'no-such-variant')).code).toBe(2);
    expect((await run('chain', 'publish')).code).toBe(2);
    expect((await run('chain', 'publish', 'annual-report-sign-off', '--as')).code).toBe(2);
    expect((await run('chain', 'publish', 'annual-report-sign-off', '--to', 'annual-report')).code).toBe(2);
    expect((await run('chain', 'unpublish', 'annual-report-sign-off')).code).toBe(2);
    expect(await run('chain', 'publish', 'annual-report-sign-off', '--as', 'Annual Report')).toEqual({ code: 1, out: expect.stringMatching(/^not published: .*\n {2}key \(--as\): /) });

    const dir = mkdtempSync(join(tmpdir(), 'shenpi-chain-'));
    expect(await run('chain', 'publish', '--file', join(dir, 'missing.json'))).toEqual({ code: 2, out: expect.stringMatching(/^cannot read .*missing\.json/) });
    writeFileSync(join(dir, 'broken.json'), '{ "key": ');
    expect((await run('chain', 'publish', '--file', join(dir, 'broken.json'))).code).toBe(2);
    const bad = JSON.parse(JSON.stringify(chainVariants['annual-report-sign-off'].definition));
    bad.steps[4].assignee.role = 'janitor';
    writeFileSync(join(dir, 'bad.json'), JSON.stringify(bad));
    const refused = await run('chain', 'publish', '--file', join(dir, 'bad.json'));
    expect(refused.code).toBe(1);
    expect(refused.out).toContain('steps[4].assignee.role');
    // Nothing was published by the refusals.
    expect(await newReport(2026)).toMatchObject({ chain: 'annual-report@2' });
  });
});

describe('chain publish --file: the shipped chains as JSON', () => {
  const database = testDatabase();
  const keyFile = join(mkdtempSync(join(tmpdir(), 'shenpi-key-')), 'audit-signing-key.pem');
  const { run } = cliOn(database, keyFile);
  afterAll(() => database.drop());

  it('publishes each workflows/*/*.chain.json through the lint of POST /api/chains: the shipped ones are what the service published at start', async () => {
    expect((await run('seed-demo', '--password', 'demo-pass')).code).toBe(0);
    const results = [];
    for (const { path } of chainJsonFiles()) results.push(await run('chain', 'publish', '--file', path));
    expect(results).toEqual([
      { code: 0, out: 'annual-report version 1 already has this definition\nnew annual-report documents use annual-report version 1' },
      { code: 0, out: 'normative-document version 1 already has this definition\nnew normative-document documents use normative-document version 1' },
      { code: 0, out: 'major-decision version 1 already has this definition\nnew major-decision documents use major-decision version 1' },
      { code: 0, out: 'published annual-report-sign-off version 1\nnew annual-report-sign-off documents use annual-report-sign-off version 1' },
    ]);
    // --as works on a file too; a file named without --file (as before) is still read.
    expect(await run('chain', 'publish', '--file', 'workflows/annual-report/annual-report-sign-off.chain.json', '--as', 'annual-report')).toEqual({
      code: 0,
      out: 'published annual-report version 2\nnew annual-report documents use annual-report version 2',
    });
    expect((await run('chain', 'publish', 'workflows/major-decision/major-decision.chain.json')).code).toBe(0);
  });
});

describe('organisation commands', () => {
  const database = testDatabase();
  const { run } = cliOn(database, join(mkdtempSync(join(tmpdir(), 'shenpi-key-')), 'audit-signing-key.pem'));
  afterAll(() => database.drop());

  it('department add, role grant|revoke and user disable follow the API\'s rules; disable hands the open tasks on and prints to whom, and what nobody may take', async () => {
    expect((await run('seed-demo', '--password', 'demo-pass')).code).toBe(0);
    expect(await run('department', 'add', '--id', 'city-justice', '--name', '市司法局', '--office', 'rule-of-law-office', '--issuer-code', '市司法发')).toEqual({
      code: 0,
      out: 'created department city-justice, reporting to rule-of-law-office',
    });
    expect(await run('department', 'add', '--id', 'city-justice', '--name', '又一个')).toEqual({ code: 1, out: 'department add refused:\n  department "city-justice" exists' });
    expect(await run('department', 'add', '--id', 'x-dept', '--name', 'x', '--office', 'nowhere')).toEqual({ code: 1, out: 'department add refused:\n  officeId: no department "nowhere"' });
    expect((await run('department', 'add', '--id', 'Bad Id', '--name', 'x')).out).toMatch(/^department add refused:\n  id: /);
    expect((await run('department', 'add', '--name', 'x')).code).toBe(2);

    expect((await run('user', 'add', '--username', 'justice-counsel', '--password', 'river-lantern-47', '--department', 'city-justice', '--role', 'drafter')).code).toBe(0);
    expect(await run('role', 'grant', '--username', 'justice-counsel', '--role', 'legal-counsel', '--department', 'city-justice')).toEqual({
      code: 0,
      out: 'granted legal-counsel to justice-counsel; their sessions have ended',
    });
    expect(await run('role', 'grant', '--username', 'justice-counsel', '--role', 'legal-counsel', '--department', 'city-justice')).toEqual({
      code: 0,
      out: 'justice-counsel already holds legal-counsel there: nothing changed',
    });
    expect(await run('role', 'grant', '--username', 'justice-counsel', '--role', 'drafter')).toEqual({ code: 1, out: 'role grant refused:\n  departmentId: departmentId is required for drafter' });
    expect(await run('role', 'grant', '--username', 'justice-counsel', '--role', 'drafter', '--department', 'nowhere')).toEqual({ code: 1, out: 'role grant refused:\n  departmentId: no department "nowhere"' });
    expect((await run('role', 'grant', '--username', 'nobody-here', '--role', 'drafter', '--department', 'city-sti')).out).toBe('role grant refused:\n  username: no user "nobody-here"');
    expect((await run('role', 'frobnicate', '--username', 'justice-counsel')).code).toBe(2);
    // The only leader of city-sti stays (409 in the API).
    expect(await run('user', 'disable', '--username', 'leader')).toEqual({ code: 1, out: 'user disable refused:\n  leader is the only leader of city-sti who can act: grant the role to someone else first' });
    expect((await run('role', 'revoke', '--username', 'leader', '--role', 'leader', '--department', 'city-sti')).code).toBe(1);

    // counsel-b holds a report's legal review by name (delegated by counsel): disabling them hands it on, as the API does.
    const engine = await Engine.open({ database, shippedChains });
    try {
      const principal = async (username: string) => (await engine.authentication.principal(await engine.organisation.userIdOf(username)))!;
      const drafter = await principal('drafter');
      const doc = await engine.createDocument.execute({ principal: drafter, chain: 'annual-report', title: '报告', year: 2026, departmentId: 'city-sti', content: REPORT_OUTLINE });
      const submitted = await engine.transition.execute({ documentId: doc.id, action: 'submit', principal: drafter });
      const task = submitted.written.tasks.find((x) => x.status === 'open')!;
      await run('user', 'add', '--username', 'counsel-b', '--password', 'river-lantern-47', '--department', 'city-sti', '--role', 'legal-counsel');
      await engine.transition.execute({ documentId: doc.id, taskId: task.id, action: 'delegate', principal: await principal('counsel'), delegateTo: await engine.organisation.userIdOf('counsel-b'), comment: '请办理' });
      expect(await run('user', 'disable', '--username', 'counsel-b', '--comment', '离职')).toEqual({
        code: 0,
        out: ['disabled user counsel-b; their sessions have ended', 'handed on 1 open task(s):', `  task ${task.id} of document ${doc.id} (legal-review) to counsel`].join('\n'),
      });
      expect(await engine.authentication.login('counsel-b', 'river-lantern-47')).toBeNull();
      const handedOn = await engine.database.reader.one<{ actor_type: string; actor_id: string; details: string }>(
        "SELECT actor_type, actor_id, details FROM audit_entries WHERE document_id = ? AND action = 'reassign' ORDER BY seq DESC LIMIT 1",
        [doc.id],
      );
      expect({ ...handedOn, details: JSON.parse(handedOn!.details) }).toMatchObject({
        actor_type: 'system',
        actor_id: 'organisation',
        details: { taskId: task.id, delegateTo: await engine.organisation.userIdOf('counsel'), comment: '离职', handOn: { cause: 'disable-user', by: { type: 'system', id: 'cli' } } },
      });
      // Now counsel holds it, and nobody else in city-sti is a legal counsel who can act: it stays, with why.
      expect(await run('user', 'disable', '--username', 'counsel')).toEqual({
        code: 0,
        out: [
          'disabled user counsel; their sessions have ended',
          '1 open task(s) nobody may take, still held by counsel (global administrators are notified; POST /api/users/:id/reassign-tasks, or disable again once someone can):',
          `  task ${task.id} of document ${doc.id} (legal-review): nobody else can act in its role`,
        ].join('\n'),
      });
      // Once someone can take it, disabling again hands it on.
      expect((await run('role', 'grant', '--username', 'justice-counsel', '--role', 'legal-counsel', '--department', 'city-sti')).code).toBe(0);
      expect(await run('user', 'disable', '--username', 'counsel')).toEqual({
        code: 0,
        out: ['user counsel was already disabled', 'handed on 1 open task(s):', `  task ${task.id} of document ${doc.id} (legal-review) to justice-counsel`].join('\n'),
      });
      const entries = await engine.database.reader.all<{ action: string; details: string }>("SELECT action, details FROM audit_entries WHERE category = 'configuration' ORDER BY seq");
      const since = entries.slice(entries.findIndex((e) => e.details.includes('city-justice')));
      expect(since.map((e) => e.action)).toEqual(['create-department', 'create-user', 'grant-role', 'grant-role', 'create-user', 'grant-role', 'disable-user', 'disable-user', 'grant-role']);
      expect(JSON.parse(since[0].details)).toEqual({ departmentId: 'city-justice', before: null, after: { id: 'city-justice', name: '市司法局', officeId: 'rule-of-law-office', issuerCode: '市司法发' } });
      expect(JSON.parse(since[6].details)).toMatchObject({ username: 'counsel-b', before: { disabled: false }, after: { disabled: true }, comment: '离职' });
    } finally {
      await engine.close();
    }
  });
});

describe('rotating the audit signing key', () => {
  const database = testDatabase();
  const dir = mkdtempSync(join(tmpdir(), 'shenpi-rotate-'));
  const { env, run } = cliOn(database, join(dir, 'audit-signing-key.pem'));
  afterAll(() => database.drop());

  it('retires the old key as trusted for what it signed, signs with a new one, and verify holds both', async () => {
    expect((await run('seed-demo')).code).toBe(0);
    const before = JSON.parse((await run('audit', 'checkpoint')).out);
    const rotated = await run('audit', 'rotate-key');
    expect(rotated).toEqual({ code: 0, out: expect.stringMatching(new RegExp(`^rotated: key ${before.keyId} is retired .* listed in .*audit-trusted-keys.json\\); key \\w+ signs from now on`)) });
    const listed = JSON.parse(readFileSync(join(dir, 'audit-trusted-keys.json'), 'utf8'));
    expect(listed).toEqual([{ publicKey: before.publicKey, validUntil: expect.any(String) }]);

    const engine = await Engine.open({ database });
    try {
      await engine.writer.run((r) => engine.audit.append(r, { category: 'configuration', action: 'after-rotation', actor: systemActor('test'), details: {} }));
    } finally {
      await engine.close();
    }
    const after = JSON.parse((await run('audit', 'checkpoint')).out);
    expect(after.keyId).not.toBe(before.keyId);
    expect(await run('audit', 'verify')).toEqual({ code: 0, out: expect.stringMatching(/^audit chain intact/) });

    // Without the listing the old key's checkpoint no longer counts: the list is what keeps it trusted.
    rmSync(join(dir, 'audit-trusted-keys.json'));
    expect(await run('audit', 'verify')).toEqual({ code: 1, out: expect.stringMatching(/differs from the checkpoint signed at/) });
    expect((await runCli(['audit', 'rotate-key'], { ...env, AUDIT_SIGNING_KEY: 'x' }, { log: () => undefined, error: () => undefined }))).toBe(1);
  });
});
