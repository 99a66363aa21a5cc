import { storableText, type Actor, type Clock } from '@shenpi/domain';
import { STANDARD_SUITE, SM_SUITE, suiteNamed, suiteOf, type AuditCrypto, type AuditSuite } from './suite.js';
import type { Repositories, TaskRow } from '@shenpi/persistence';
import { canonicalOf, EntryDigests, fieldsFromPending, hashOf, linkedHashOf, textSeqOf, pendingFromFields, type AuditEntry, type AuditInput, type EntryFields } from './audit-entry.js';
import { checkpointSignatureValid, type Checkpoint, type CheckpointSigner } from './checkpoint.js';
import type { TrustedKeys } from './trusted-keys.js';
import { treeHeadStatement } from './audit-tree.js';
import type { TreeHasher } from './merkle.js';
import { fastWalk } from './fast-walk.js';
import { LogWalkers } from './log-walkers.js';
import { openTasksDigest, rowVersusLog, type Mismatch } from './divergence.js';

export type VerifyResult =
  | { ok: true; entries: number; headHash: string; checkpoints: number; treeHeads: number }
  | { ok: false; firstBadSeq: number; reason: string; entries: number; documents?: (Mismatch & { documentId: string })[] };

/** An auditor's checkpoint held against the log: signed by us, its entry unchanged, and the chain intact since. */
export interface CheckpointCheck {
  ok: boolean;
  signatureValid: boolean;
  entryMatches: boolean;
  chain: VerifyResult;
}

const VERIFY_BATCH = 2000;

const suiteFor = (hash: string): AuditSuite => (hash === SM_SUITE.hash ? SM_SUITE : STANDARD_SUITE);

/** The suite a log's first entry makes it: the one an `audit-suite` entry names, else the standard one. */
function suiteNamedBy(first: { action: string; details: string }): AuditSuite {
  if (first.action !== 'audit-suite') return STANDARD_SUITE;
  const named = suiteNamed((JSON.parse(first.details) as { suite?: unknown }).suite);
  if (!named) throw new Error(`the audit log's first entry names an unknown suite: ${first.details}`);
  return named;
}

/** Called in the transaction that gives the entry its seq (e.g. to write the webhook outbox with it). */
export type AuditListener = (repos: Repositories, entry: AuditEntry) => Promise<void>;

/** The append-only, hash-chained log: append inside a transition's transaction, verify by walking it. */
export class AuditLog {
  private readonly listeners: AuditListener[] = [];
  /** Whether this process's suite has been checked against the log's first entry (which never changes). */
  private suiteChecked = false;
  /** SQLite: the head this process last moved the log to (a guess, checked by AuditEntriesRepository.append). */
  private lastHead: { seq: number; hash: string } | undefined;

  /** Logs of this many entries or more are verified in threads (LogWalkers); shorter ones here, where a thread's start would cost more. */
  verifyInThreadsFrom = 100_000;
  private readonly walkers: LogWalkers;

  constructor(
    private readonly clock: Clock,
    /** The keys whose checkpoint and tree head signatures count (the service's own and those pinned). */
    readonly trusted: TrustedKeys,
    /** Hashes the log's Merkle tree (RFC 9162), whose signed heads verify also checks. */
    readonly hasher: TreeHasher,
  ) {
    this.walkers = new LogWalkers(hasher.algorithm);
  }

  /** Ends verify's threads (they do not keep the process alive meanwhile). */
  close(): Promise<void> {
    return this.walkers.close();
  }

  /**
   * The suite a database's log uses: named by its first entry (`audit-suite`), standard when that
   * is anything else; an empty log takes `wanted` (standard when unset), and `toRecord` says the SM
   * suite must be written as its first entry (the standard one needs none). Another suite than the
   * log's is refused.
   */
  static async suiteOf(repos: Repositories, wanted: AuditCrypto | undefined): Promise<{ suite: AuditSuite; toRecord: boolean }> {
    const first = await repos.audit.firstEntry();
    if (!first) {
      const suite = suiteOf(wanted ?? 'standard');
      return { suite, toRecord: suite.name !== STANDARD_SUITE.name };
    }
    const named = suiteNamedBy(first);
    if (wanted && suiteOf(wanted).name !== named.name) {
      throw new Error(`the audit log of this database uses ${named.name} (chosen when it was created): it cannot change to ${suiteOf(wanted).name}`);
    }
    return { suite: named, toRecord: false };
  }

  /**
   * The SM suite's first entry, naming it, so verifiers and later starts know how the log is hashed
   * and signed. Another process may have written the first entry meanwhile: it must name this suite.
   */
  async recordSuite(repos: Repositories, actor: Actor): Promise<void> {
    const first = await repos.audit.firstEntry();
    if (first) return this.refuseOtherSuite(first);
    await this.append(repos, { category: 'configuration', action: 'audit-suite', actor, details: { suite: suiteFor(this.hasher.algorithm).name } });
  }

  /** A process started for another suite than the log's must not chain a single entry. */
  private refuseOtherSuite(first: { action: string; details: string }): void {
    const logs = suiteNamedBy(first);
    const ours = suiteFor(this.hasher.algorithm);
    if (logs.name !== ours.name) {
      throw new Error(`the audit log uses ${logs.name}, but this process was started for ${ours.name} (AUDIT_CRYPTO): restart it with the log's suite`);
    }
    this.suiteChecked = true;
  }

  onAppend(listener: AuditListener): void {
    this.listeners.push(listener);
  }

  /**
   * Records an entry in the caller's transaction. SQLite (one writer) gives it its seq and hash at
   * once. PostgreSQL puts it in the intake, so concurrent transactions share no lock through their
   * commits; `sequence` gives it its place in the log after commit.
   */
  async append(repos: Repositories, input: AuditInput): Promise<void> {
    // What PostgreSQL's JSON functions refuse never enters a text (see storableText).
    const fields: EntryFields = storableText({
      at: this.clock.now().toISOString(),
      category: input.category,
      action: input.action,
      result: input.result ?? 'success',
      actor: input.actor,
      departmentId: input.departmentId ?? null,
      documentId: input.documentId ?? null,
      from: input.from ?? null,
      to: input.to ?? null,
      details: input.details ?? {},
    });
    if (repos.sql.kind === 'postgres') return repos.audit.enqueue(pendingFromFields(fields));
    // SQLite's writer is alone in this process: the head it last wrote is most often still the head.
    // The entry goes in only while that head is still the head (no read); when another process
    // appended, or the job that appended was rolled back, nothing is written and the head is read.
    let head = this.lastHead ?? (await repos.audit.lockHead());
    if (!this.suiteChecked && head.seq > 0) this.refuseOtherSuite((await repos.audit.firstEntry())!);
    let entry = this.chained(head, fields);
    const row = () => ({ seq: entry.entry.seq, canonical: entry.canonical, hash: entry.entry.hash });
    if (!(await repos.audit.append(head, row()))) {
      head = await repos.audit.lockHead();
      entry = this.chained(head, fields);
      if (!(await repos.audit.append(head, row()))) throw new Error('the audit head moved within the writer\'s own transaction');
    }
    this.lastHead = { seq: entry.entry.seq, hash: entry.entry.hash };
    for (const listener of this.listeners) await listener(repos, entry.entry);
  }

  /** The entry after `head`: its seq, its link to the head and its hash. */
  private chained(head: { seq: number; hash: string }, fields: EntryFields): { entry: AuditEntry; canonical: string } {
    const unsigned: Omit<AuditEntry, 'hash'> = { v: 1, seq: head.seq + 1, ...fields, prevHash: head.hash };
    const canonical = canonicalOf(unsigned);
    return { entry: { ...unsigned, hash: hashOf(head.hash, canonical, this.hasher.algorithm) }, canonical };
  }

  /**
   * PostgreSQL's sequencer: moves up to `limit` committed entries from the intake into the log, in
   * the order they were taken in, each chained on from the last (one transaction, one sequencer at a
   * time across processes by advisory lock). The listeners (the webhook outbox) run here, where the
   * entry gets its seq. Returns the entries sequenced and how long each had waited since its time.
   */
  async sequence(repos: Repositories, limit: number): Promise<{ sequenced: number; waitedMs: number[] }> {
    await repos.audit.lockSequencer();
    const pending = await repos.audit.pending(limit);
    if (!pending.length) return { sequenced: 0, waitedMs: [] };
    let head = await repos.audit.lockHead();
    // Processes started with different AUDIT_CRYPTO on one database: only those of the log's suite sequence.
    if (!this.suiteChecked) this.refuseOtherSuite(head.seq === 0 ? pending[0] : (await repos.audit.firstEntry())!);
    const chained = pending.map(({ id: _id, ...row }) => {
      const next = this.chained(head, fieldsFromPending(row));
      head = next.entry;
      return next;
    });
    await repos.audit.appendSequenced(chained.map((c) => ({ seq: c.entry.seq, canonical: c.canonical, hash: c.entry.hash })));
    for (const { entry } of chained) for (const listener of this.listeners) await listener(repos, entry);
    await repos.audit.removePending(pending.map((p) => p.id));
    const now = Date.now();
    return { sequenced: pending.length, waitedMs: pending.map((p) => now - Date.parse(p.at)) };
  }

  /**
   * Recomputes every entry's hash from its text and the previous hash, and the Merkle tree held
   * against each signed tree head: an edited text, a removed or an inserted entry all break the walk
   * at the first bad seq. The searchable columns are the text's projections by the table's
   * definition, which is checked once (a row-by-row comparison cost four times the hashing).
   */
  async verify(repos: Repositories, onProgress?: (checked: number) => void): Promise<VerifyResult> {
    // The head is read first and the walk stops there: entries appended meanwhile are not "missing".
    const head = await repos.audit.headState();
    // A log cut short, with its head set back to match, still chains: what was signed says otherwise.
    if (head.lastCheckpointSeq > head.lastSeq) {
      const signed = (await repos.checkpoints.all()).find((c) => c.seq === head.lastCheckpointSeq)!;
      return { ok: false, firstBadSeq: head.lastSeq + 1, reason: `the log ends at entry ${head.lastSeq}, but a checkpoint signed at ${signed.at} covers entry ${signed.seq}: entries were removed`, entries: 0 };
    }
    if (head.lastTreeHeadSize > head.lastSeq) {
      const signed = (await repos.tree.headOfSize(head.lastTreeHeadSize))!;
      return { ok: false, firstBadSeq: head.lastSeq + 1, reason: `the log ends at entry ${head.lastSeq}, but a tree head signed at ${signed.timestamp} covers ${signed.treeSize} entries: entries were removed`, entries: 0 };
    }
    // The columns searches show are projections of the hashed text, as long as the table says so.
    const drift = await repos.audit.projectionDrift();
    if (drift) return { ok: false, firstBadSeq: 1, reason: `the audit table's ${drift}: a search could show what was never hashed`, entries: 0 };
    if (head.seq !== head.lastSeq) {
      return { ok: false, firstBadSeq: Math.min(head.seq, head.lastSeq) + 1, reason: `the chain head names entry ${head.seq}, but the last entry is ${head.lastSeq}`, entries: 0 };
    }
    // Signed checkpoints pin hashes: a chain rewritten from some entry on (every hash recomputed)
    // still differs from what was signed before the rewrite.
    const pinned = new Map((await repos.checkpoints.all()).filter((c) => c.seq <= head.seq).map((c) => [c.seq, c]));
    // The fast walk goes as far as everything holds; from there the careful walk, entry by entry,
    // names what is wrong (or finds that nothing is, after a run the fast walk could not judge).
    const walked = await fastWalk(repos, this.walkers, this.hasher, {
      lastSeq: head.seq,
      pinned: new Map([...pinned].map(([seq, checkpoint]) => [seq, { checkpoint, trusted: checkpointSignatureValid(checkpoint, this.trusted) }])),
      headTrusted: (h) => this.trusted.verifies(treeHeadStatement(h), h.keyId, h.signature, h.timestamp),
      inThreads: head.seq >= this.verifyInThreadsFrom,
      onProgress,
    });
    let { prevHash, checked, treeHeads } = walked;
    let expectedSeq = checked + 1;
    // The tree's root as it grows, held against each signed tree head the walk passes.
    const tree = walked.tree;
    const hasher = new EntryDigests(this.hasher.algorithm);
    while (expectedSeq <= head.seq) {
      const rows = (await repos.audit.texts(expectedSeq - 1, VERIFY_BATCH)).filter((r) => r.seq <= head.seq);
      if (!rows.length) break;
      const signedHeads = new Map((await repos.tree.heads(rows[0].seq, rows[rows.length - 1].seq, VERIFY_BATCH)).map((h) => [h.treeSize, h]));
      for (const row of rows) {
        const fail = (reason: string): VerifyResult => ({ ok: false, firstBadSeq: row.seq, reason, entries: checked });
        if (row.seq !== expectedSeq) return { ok: false, firstBadSeq: expectedSeq, reason: `entry ${expectedSeq} is missing`, entries: checked };
        if (textSeqOf(row.canonical) !== row.seq) return fail(`the entry's text gives it another seq than its place in the log`);
        if (linkedHashOf(row.canonical) !== prevHash) return fail('prevHash does not match the previous entry');
        const hash = row.hash;
        const digests = hasher.of(prevHash, row.canonical);
        if (hash !== digests.hash) return fail('hash does not match the entry');
        const checkpoint = pinned.get(row.seq);
        if (checkpoint && (checkpoint.hash !== hash || !checkpointSignatureValid(checkpoint, this.trusted))) {
          return fail(`differs from the checkpoint signed at ${checkpoint.at}`);
        }
        prevHash = hash;
        tree.append(digests.leaf);
        const treeHead = signedHeads.get(row.seq);
        if (treeHead) {
          if (!this.trusted.verifies(treeHeadStatement(treeHead), treeHead.keyId, treeHead.signature, treeHead.timestamp)) return fail(`the tree head of ${treeHead.treeSize} entries signed at ${treeHead.timestamp} is not signed by a trusted key`);
          if (tree.root().toString('hex') !== treeHead.rootHash) return fail(`the log's first ${treeHead.treeSize} entries differ from the tree head signed at ${treeHead.timestamp}`);
          treeHeads++;
        }
        expectedSeq++;
        checked++;
      }
      onProgress?.(checked);
    }
    if (checked !== head.seq) return { ok: false, firstBadSeq: checked + 1, reason: `entry ${checked + 1} is missing`, entries: checked };
    if (head.hash !== prevHash) return { ok: false, firstBadSeq: head.seq, reason: 'the chain head does not match the last entry', entries: checked };
    // The log holds; the tables must say what it says.
    const documents = await this.divergentDocuments(repos);
    if (documents.length) {
      const [first] = documents;
      return {
        ok: false,
        firstBadSeq: first.seq,
        reason: `${documents.length} document${documents.length === 1 ? '' : 's'} disagree${documents.length === 1 ? 's' : ''} with the log: document ${first.documentId} ${disagreement(first)}`,
        entries: checked,
        documents: documents.map(({ seq: _seq, ...m }) => m),
      };
    }
    return { ok: true, entries: checked, headHash: prevHash, checkpoints: pinned.size, treeHeads };
  }

  /**
   * Every document whose row disagrees with its last transition entry (the rule the kernel enforces),
   * a batch at a time. SQLite: the door reads a document's tasks, timers and last transition entry
   * through the lists on its row; a list that is not what the tables hold for the document (a
   * statement typed at the database) is named first, as what the rest of the row is read through.
   */
  private async divergentDocuments(repos: Repositories): Promise<(Mismatch & { documentId: string; seq: number })[]> {
    const found: (Mismatch & { documentId: string; seq: number })[] = [];
    for (const d of await repos.documents.listsDisagreeing()) {
      if (found.some((f) => f.documentId === d.documentId)) continue;
      const last = await repos.audit.lastTransitionOf(d.documentId);
      found.push({ documentId: d.documentId, seq: last?.seq ?? 0, field: LIST_FIELD[d.item], log: d.held, table: d.listed });
    }
    const listsNamed = new Set(found.map((f) => f.documentId));
    for (let after = ''; ; ) {
      const rows = await repos.audit.documentsWithLastTransition(after, VERIFY_BATCH);
      const openTasks = new Map<string, TaskRow[]>();
      for (const task of await repos.tasks.openForDocuments(rows.filter((r) => r.logged.openTasks !== undefined).map((r) => r.id))) {
        openTasks.set(task.documentId, [...(openTasks.get(task.documentId) ?? []), task]);
      }
      for (const row of rows) {
        if (listsNamed.has(row.id)) continue;
        const held = row.logged.openTasks === undefined ? undefined : openTasksDigest(openTasks.get(row.id) ?? []);
        const mismatch = row.seq === null ? undefined : rowVersusLog(row, { to: row.to, ...row.logged }, held);
        // The row, its entry and its tasks were read by separate statements, and on PostgreSQL a change
        // committed since the last batch may still wait in the intake: a mismatch counts only if it holds
        // when read again, the way the kernel reads it (intake included).
        if (mismatch && (await this.stillDiverges(repos, row.id))) found.push({ documentId: row.id, seq: row.seq!, ...mismatch });
      }
      if (rows.length < VERIFY_BATCH) break;
      after = rows[rows.length - 1].id;
    }
    return found;
  }

  private async stillDiverges(repos: Repositories, documentId: string): Promise<boolean> {
    const last = await repos.audit.lastTransitionOf(documentId);
    const row = await repos.documents.get(documentId);
    if (!last || !row) return false;
    const held = last.openTasks === undefined ? undefined : openTasksDigest(await repos.tasks.openForDocument(documentId));
    return rowVersusLog(row, last, held) !== undefined;
  }

  /** Signs the current head as a checkpoint, unless it is already the latest one. */
  async checkpoint(repos: Repositories, signer: CheckpointSigner): Promise<Checkpoint | null> {
    const head = await repos.audit.head();
    if (head.seq === 0) return null;
    const latest = await repos.checkpoints.latest();
    if (latest?.seq === head.seq) return latest;
    const checkpoint = signer.sign({ seq: head.seq, hash: head.hash, at: this.clock.now().toISOString() });
    await repos.checkpoints.insert(checkpoint);
    return checkpoint;
  }

  async verifyCheckpoint(repos: Repositories, checkpoint: Checkpoint, onProgress?: (checked: number) => void): Promise<CheckpointCheck> {
    const signatureValid = checkpointSignatureValid(checkpoint, this.trusted);
    const entry = (await repos.audit.range(checkpoint.seq - 1, 1))[0];
    const entryMatches = entry?.seq === checkpoint.seq && entry.hash === checkpoint.hash;
    const chain = await this.verify(repos, onProgress);
    return { ok: signatureValid && entryMatches && chain.ok, signatureValid, entryMatches, chain };
  }
}

/** The Mismatch field naming each list on a document's row. */
const LIST_FIELD = { task: 'taskIds', timer: 'timerIds', entry: 'transitionSeqs' } as const;

/** How a document disagrees, in words: with its last transition entry, or (a list on its row) with its table. */
function disagreement(m: Mismatch): string {
  if (m.field === 'taskIds') return `lists ${JSON.stringify(m.table)} as its tasks on its row but its tasks table holds ${JSON.stringify(m.log)}`;
  if (m.field === 'timerIds') return `lists ${JSON.stringify(m.table)} as its timers on its row but its deadlines table holds ${JSON.stringify(m.log)}`;
  if (m.field === 'transitionSeqs') return `lists ${JSON.stringify(m.table)} as its transition entries on its row but its audit log holds ${JSON.stringify(m.log)}`;
  return `has ${m.field} ${JSON.stringify(m.table)} in its row but ${JSON.stringify(m.log)} in its audit log`;
}
