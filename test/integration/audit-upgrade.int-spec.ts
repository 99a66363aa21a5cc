import { canonicalOf, entryFromRow, hashOf, type AuditEntry } from '@shenpi/audit';
import { systemActor, ManualClock, type Actor } from '@shenpi/domain';
import { Engine } from '@shenpi/engine';
import { AUDIT_INDEXES, Repositories } from '@shenpi/persistence';
import { testDatabase } from '../support/test-app.js';

/** The audit table as it was before its columns were generated from the text: every column stored. */
const OLD_TABLE = `CREATE TABLE audit_entries (
  seq INTEGER PRIMARY KEY, at TEXT NOT NULL, category TEXT NOT NULL, action TEXT NOT NULL, result TEXT NOT NULL,
  actor_type TEXT NOT NULL, actor_id TEXT NOT NULL, actor_role TEXT NULL, actor_department_id TEXT NULL,
  actor_on_behalf_of TEXT NULL, department_id TEXT NULL, document_id TEXT NULL, from_state TEXT NULL,
  to_state TEXT NULL, details TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL, canonical TEXT NOT NULL)`;
const OLD_COLUMNS = `seq, at, category, action, result, actor_type, actor_id, actor_role, actor_department_id, actor_on_behalf_of,
  department_id, document_id, from_state, to_state, details, prev_hash, hash, canonical`;

/** Entry 13 as an older version could write it: a NUL and half a surrogate pair, escaped in its text. */
const oldEntry: Omit<AuditEntry, 'hash' | 'prevHash'> = {
  v: 1,
  seq: 13,
  at: '2026-01-01T00:00:00.000Z',
  category: 'configuration',
  action: 'old-escapes',
  result: 'success',
  actor: { type: 'system', id: 'system', role: null, departmentId: null, onBehalfOf: null },
  departmentId: null,
  documentId: null,
  from: null,
  to: null,
  details: { note: 'a\u0000b \ud83d c' },
};

/**
 * A database whose audit table has the layout before migration 1765300000000 (every column
 * stored) is carried forward by it: the same entries, the same searches, verify intact. And an
 * entry PostgreSQL's JSON functions cannot read a character of (an escaped NUL) is logged and
 * read back exactly, without stopping the sequencer.
 */
describe('audit table upgrade: columns generated from the hashed text', () => {
  const database = testDatabase();
  afterAll(() => database.drop());

  it('carries a log written in the old layout forward, entry for entry, and verify holds', async () => {
    let engine = await Engine.open({ database, clock: new ManualClock() });
    const counsel: Actor = { type: 'user', id: 'u-counsel', role: 'legal-counsel', departmentId: 'city-sti', onBehalfOf: 'u-absent' };
    for (let i = 1; i <= 12; i++) {
      await engine.writer.run((r) =>
        engine.audit.append(r, {
          // Not `transition`: the kernel logs those for documents that exist (SQLite finds them through the document's row).
          category: i % 3 ? 'configuration' : 'security',
          action: i % 2 ? 'approve' : 'return',
          actor: i % 4 ? counsel : systemActor(),
          departmentId: 'city-sti',
          documentId: `doc-${i % 3}`,
          from: 'legal-review',
          to: i % 2 ? 'party-group-review' : 'drafting',
          details: { version: i, comment: `第${i}号：“法治”, "quoted" \\ ${i === 7 ? '\u0000 nul \ud83d half' : ''}`, nested: { z: [1, 2.5, null], a: true } },
        }),
      );
    }
    const repos = () => new Repositories(engine.database.reader);
    await engine.auditReadModel.verifyAll();
    const entries = (await repos().audit.range(0, 100)).map(entryFromRow);
    expect(entries).toHaveLength(12);
    // What PostgreSQL's JSON functions refuse is stored as U+FFFD (storableText).
    expect(entries[6].details).toEqual({ version: 7, comment: '第7号：“法治”, "quoted" \\ \ufffd nul \ufffd half', nested: { z: [1, 2.5, null], a: true } });
    expect(entries[1].actor).toEqual(counsel);
    const returned = (await repos().audit.search({ action: 'return', documentId: 'doc-1' }, null, 50)).map((r) => r.seq);
    expect(returned.length).toBeGreaterThan(0);

    // Back to the old layout, as a database made before this change has it.
    await engine.writer.run(async (r) => {
      const postgres = r.sql.kind === 'postgres';
      if (postgres) await r.sql.run('SET LOCAL session_replication_role = replica');
      await r.sql.run(OLD_TABLE.replace('audit_entries', 'audit_entries_old'));
      await r.sql.run(`INSERT INTO audit_entries_old (${OLD_COLUMNS}) SELECT ${OLD_COLUMNS} FROM audit_entries`);
      // An entry an older version wrote with the escapes PostgreSQL's JSON functions refuse: the upgrade must carry it.
      const [last] = await r.sql.all<{ hash: string }>('SELECT hash FROM audit_entries WHERE seq = 12');
      const unsigned = { ...oldEntry, prevHash: last.hash };
      const canonical = canonicalOf(unsigned);
      const hash = hashOf(last.hash, canonical);
      await r.sql.run(`INSERT INTO audit_entries_old (${OLD_COLUMNS}) VALUES (13, ?, 'configuration', 'old-escapes', 'success', 'system', 'system', NULL, NULL, NULL, NULL, NULL, NULL, NULL, ?, ?, ?, ?)`, [
        oldEntry.at,
        JSON.stringify(oldEntry.details),
        last.hash,
        hash,
        canonical,
      ]);
      await r.sql.run('UPDATE audit_head SET seq = 13, hash = ? WHERE id = 1', [hash]);
      // The list's guard names the audit table (SQLite): a database from before has no list nor guard.
      if (!postgres) await r.sql.run('DROP TRIGGER documents_transitions_appended');
      await r.sql.run('DROP TABLE audit_entries');
      await r.sql.run('ALTER TABLE audit_entries_old RENAME TO audit_entries');
      for (const [name, columns] of AUDIT_INDEXES) await r.sql.run(`CREATE INDEX ${name} ON audit_entries (${columns})`);
      // A database from before that change has none of the later ones that touch the table either.
      if (!postgres) await r.sql.run('ALTER TABLE documents DROP COLUMN transition_seqs');
      await r.sql.run("DELETE FROM migrations WHERE name IN ('AuditColumnsFromText1765300000000', 'AuditHeadFollowsEntries1766500000000', 'TransitionsOnDocumentRow1766900000000')");
    });
    const old = await engine.database.reader.all<{ name: string }>(
      engine.database.kind === 'postgres'
        ? "SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'audit_entries' AND is_generated = 'NEVER'"
        : "SELECT name FROM pragma_table_xinfo('audit_entries') WHERE hidden = 0",
    );
    expect(old).toHaveLength(18);
    await engine.close();

    engine = await Engine.open({ database, clock: new ManualClock() });
    try {
      expect(await repos().audit.projectionDrift()).toBeUndefined();
      const carried = (await repos().audit.range(0, 100)).map(entryFromRow);
      expect(carried.slice(0, 12)).toEqual(entries);
      expect(carried[12].details).toEqual(oldEntry.details);
      expect((await repos().audit.search({ action: 'old-escapes' }, null, 5)).map((r) => r.seq)).toEqual([13]);
      expect((await repos().audit.search({ action: 'return', documentId: 'doc-1' }, null, 50)).map((r) => r.seq)).toEqual(returned);
      expect(await engine.auditReadModel.verifyAll()).toMatchObject({ ok: true, entries: 13 });
      // The log goes on after the upgrade.
      await engine.writer.run((r) => engine.audit.append(r, { category: 'configuration', action: 'after-upgrade', actor: systemActor() }));
      expect(await engine.auditReadModel.verifyAll()).toMatchObject({ ok: true, entries: 14 });
    } finally {
      await engine.close();
    }
  });
});
