import pg from 'pg';
import { systemActor, systemClock } from '@shenpi/domain';
import { Engine } from '@shenpi/engine';
import { createLogger } from '@shenpi/observability';
import { testDatabase } from '../support/test-app.js';

const onPostgres = !!process.env.TEST_DATABASE_URL;

/**
 * PostgreSQL's audit intake and sequencer (SQLite chains each entry as it is written: skipped
 * there). Two engines on one database stand for two processes.
 */
(onPostgres ? describe : describe.skip)('the audit sequencer on PostgreSQL', () => {
  const database = testDatabase();
  let a: Engine;
  let b: Engine;
  const append = (engine: Engine, i: number) =>
    engine.writer.run((r) => engine.audit.append(r, { category: 'configuration', action: 'sequencer-test', actor: systemActor('test'), details: { i } }));
  const count = async (sql: string) => Number((await a.database.reader.one<{ n: string }>(sql))!.n);
  const raw = async () => {
    const client = new pg.Client({ connectionString: database.url, options: `-c search_path="${database.schema}"` });
    await client.connect();
    return client;
  };

  beforeAll(async () => {
    a = await Engine.open({ database, clock: systemClock });
    b = await Engine.open({ database, clock: systemClock });
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    await database.drop();
  });

  it('writes a transaction\'s entry to the intake, not the log: no lock on the chain head is held through its commit', async () => {
    const client = await raw();
    try {
      // Another transaction holds the chain head's row: a decision that needed it would wait.
      await client.query('BEGIN');
      await client.query('SELECT seq FROM audit_head WHERE id = 1 FOR UPDATE');
      const before = await count('SELECT COUNT(*) AS n FROM audit_intake');
      const writes = [append(a, -1), append(b, -2)];
      // Both commit: their entries wait in the intake until the head is free to be sequenced.
      for (let i = 0; i < 100 && (await count('SELECT COUNT(*) AS n FROM audit_intake')) < before + 2; i++) await new Promise((r) => setTimeout(r, 20));
      expect(await count('SELECT COUNT(*) AS n FROM audit_intake')).toBe(before + 2);
      await client.query('ROLLBACK');
      await Promise.all(writes);
    } finally {
      await client.end();
    }
    expect(await count('SELECT COUNT(*) AS n FROM audit_intake')).toBe(0);
  });

  it('gives 400 entries written at once through two engines consecutive seqs, each once, in a chain that verifies', async () => {
    const before = await count('SELECT COUNT(*) AS n FROM audit_entries');
    await Promise.all(Array.from({ length: 400 }, (_, i) => append(i % 2 ? a : b, i)));
    // Each write answered after its entry was in the log.
    expect(await count('SELECT COUNT(*) AS n FROM audit_intake')).toBe(0);
    const entries = await a.database.reader.one<{ n: string; lo: string; hi: string; distinct: string }>(
      'SELECT COUNT(*) AS n, MIN(seq) AS lo, MAX(seq) AS hi, COUNT(DISTINCT canonical) AS distinct FROM audit_entries',
    );
    expect(Number(entries!.n)).toBe(before + 400);
    expect([Number(entries!.lo), Number(entries!.hi), Number(entries!.distinct)]).toEqual([1, before + 400, before + 400]);
    const logged = await a.database.reader.all<{ details: string }>("SELECT details FROM audit_entries WHERE action = 'sequencer-test'");
    const written = logged.map((r) => JSON.parse(r.details).i as number).filter((i) => i >= 0);
    expect(written.sort((x, y) => x - y)).toEqual(Array.from({ length: 400 }, (_, i) => i));
    expect(await a.auditReadModel.verifyAll()).toMatchObject({ ok: true, entries: before + 400 });
  });

  it('hands over when the process sequencing dies mid-batch: its batch rolls back, the next sequencer takes every entry, no seq twice', async () => {
    const dying = await raw();
    const before = await count('SELECT COUNT(*) AS n FROM audit_entries');
    // A sequencer holding the lock, half way through a batch: one entry already written after the head.
    await dying.query('BEGIN');
    await dying.query('SELECT pg_advisory_xact_lock(6963)');
    await dying.query(`INSERT INTO audit_entries (seq, canonical, hash)
      SELECT seq + 1, regexp_replace(canonical, '"action":"[^"]*"', '"action":"half-sequenced"'), hash FROM audit_entries ORDER BY seq DESC LIMIT 1`);
    const pid = (await dying.query('SELECT pg_backend_pid() AS pid')).rows[0].pid as number;
    dying.on('error', () => undefined);
    const writes = Array.from({ length: 30 }, (_, i) => append(i % 2 ? a : b, 1000 + i));
    for (let i = 0; i < 200 && (await count('SELECT COUNT(*) AS n FROM audit_intake')) < 30; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await count('SELECT COUNT(*) AS n FROM audit_intake')).toBe(30);
    // The process dies: the server ends its session, rolling the batch back and freeing the lock.
    await a.database.reader.one('SELECT pg_terminate_backend(?) AS done', [pid]);
    await Promise.all(writes);
    expect(await count("SELECT COUNT(*) AS n FROM audit_entries WHERE action = 'half-sequenced'")).toBe(0);
    expect(await count('SELECT COUNT(*) AS n FROM audit_entries')).toBe(before + 30);
    expect(await count('SELECT COUNT(*) AS n FROM audit_intake')).toBe(0);
    expect(await b.auditReadModel.verifyAll()).toMatchObject({ ok: true, entries: before + 30 });
  });

  it('keeps one log in one suite when processes are started with different AUDIT_CRYPTO: only those of the log\'s suite sequence', async () => {
    const other = testDatabase();
    // Both start on the empty database: the standard one first, then the SM one, which records its suite.
    const lines: string[] = [];
    const standard = await Engine.open({ database: other, clock: systemClock, log: createLogger({ level: 'info', destination: { write: (line: string) => void lines.push(line) } }) });
    const sm = await Engine.open({ database: other, clock: systemClock, auditCrypto: 'sm' });
    try {
      await append(standard, 1);
      const failed = lines.map((l) => JSON.parse(l) as { component?: string; error?: { message: string } }).filter((e) => e.component === 'audit-sequencer');
      expect(failed.map((e) => e.error!.message).join('\n')).toMatch(/uses sm3-sm2, but this process was started for sha256-ed25519/);
      // The SM process sequences the standard one's entry in its own suite.
      await append(sm, 2);
      const rows = await sm.database.reader.all<{ seq: string; action: string; hash: string; prev_hash: string; canonical: string }>('SELECT seq, action, hash, prev_hash, canonical FROM audit_entries ORDER BY seq');
      expect(rows.map((r) => r.action)).toEqual(['audit-suite', 'sequencer-test', 'sequencer-test']);
      const { createHash } = await import('node:crypto');
      for (const r of rows) expect(r.hash).toBe(createHash('sm3').update(r.prev_hash + r.canonical).digest('hex'));
      expect(await sm.auditReadModel.verifyAll()).toMatchObject({ ok: true, entries: 3 });
    } finally {
      await standard.close();
      await sm.close();
      await other.drop();
    }
  });
});
