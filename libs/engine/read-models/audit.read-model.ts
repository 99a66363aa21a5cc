import { entryFromRow, type AuditEntry, type AuditLog, type AuditTree, type Checkpoint, type VerifyResult } from '@shenpi/audit';
import { AccessDenied, ErrorCode, isGlobalAdmin, notFound, validationFailed, type Principal } from '@shenpi/domain';
import { Repositories, type AuditFilter, type Database } from '@shenpi/persistence';
import { decodeCursor, MAX_INT, page } from '../views.js';
import { actorNames } from './actor-names.js';

/** Entries read per query while exporting: memory stays flat however long the export. */
const EXPORT_BATCH = 1000;

/**
 * The audit log as supervisors read it (their departments; global admins all), and its verification,
 * also for the operator's command line. On the read connection.
 */
export class AuditReadModel {
  private readonly repos: Repositories;

  constructor(
    database: Database,
    private readonly audit: AuditLog,
    private readonly tree: AuditTree,
    /** Puts entries committed so far into the log (PostgreSQL's sequencer): readers see their own decisions. */
    private readonly settle: () => Promise<void>,
  ) {
    this.repos = new Repositories(database.reader);
  }

  /** Supervisors read the entries of the departments they oversee; global admins read all. */
  async auditEntries(p: Principal, filter: Omit<AuditFilter, 'departmentIds'>, cursor: string | undefined, limit: number) {
    const scope = await this.auditScope(p);
    const before = decodeCursor(cursor, (k) => /^[1-9]\d{0,9}$/.test(k) && Number(k) <= MAX_INT);
    await this.settle();
    const rows = await this.repos.audit.search({ ...filter, departmentIds: scope }, before === null ? null : Number(before), limit + 1);
    const { rows: kept, nextCursor } = page(rows, limit, (r) => r.seq);
    const items = kept.map(entryFromRow);
    return { items, nextCursor, ...(await actorNames(this.repos, items)) };
  }

  async verifyAudit(p: Principal): Promise<VerifyResult> {
    await this.auditScope(p);
    await this.settle();
    return this.audit.verify(this.repos);
  }

  /** Signed checkpoints of the chain head, oldest first, with the key that signs new ones. */
  async checkpoints(p: Principal, signer: { publicKey: string; keyId: string }) {
    await this.auditScope(p);
    return { keyId: signer.keyId, publicKey: signer.publicKey, items: await this.repos.checkpoints.all() };
  }

  async verifyCheckpoint(p: Principal, checkpoint: Checkpoint) {
    await this.auditScope(p);
    await this.settle();
    return this.audit.verifyCheckpoint(this.repos, checkpoint);
  }

  /** The latest signed tree head (RFC 9162 STH). */
  async treeHead(p: Principal) {
    await this.auditScope(p);
    const head = await this.repos.tree.latestHead();
    if (!head) throw notFound('tree head');
    return head;
  }

  /** Stored tree heads with `from` ≤ size ≤ `to`, smallest first, each with the witnesses who cosigned it (key id and when). */
  async treeHeads(p: Principal, from: number, to: number, limit: number) {
    await this.auditScope(p);
    const heads = await this.repos.tree.heads(from, to, limit);
    const cosigned = heads.length ? await this.repos.tree.cosignaturesBetween(heads[0]!.treeSize, heads[heads.length - 1]!.treeSize) : [];
    return {
      items: heads.map((h) => ({ ...h, cosignatures: cosigned.filter((c) => c.treeSize === h.treeSize).map((c) => ({ witnessKeyId: c.witnessKeyId, at: c.at })) })),
    };
  }

  /** That entry `seq` is leaf seq - 1 of the tree of `treeSize` leaves (a signed size). */
  async inclusionProof(p: Principal, seq: number, treeSize: number) {
    await this.auditScope(p);
    await this.signedSize(treeSize, 'treeSize');
    if (seq > treeSize) throw validationFailed([{ field: 'seq', reason: `entry ${seq} is not in the tree of ${treeSize} entries` }]);
    return this.tree.inclusion(this.repos, seq - 1, treeSize);
  }

  /** That the tree of `first` leaves is a prefix of the tree of `second` (both signed sizes). */
  async consistencyProof(p: Principal, first: number, second: number) {
    await this.auditScope(p);
    if (first > second) throw validationFailed([{ field: 'first', reason: `must not be greater than second (${second})` }]);
    await this.signedSize(first, 'first');
    await this.signedSize(second, 'second');
    return this.tree.consistency(this.repos, first, second);
  }

  /** Proofs are against sizes the log signed: an auditor holds those heads. */
  private async signedSize(size: number, field: string): Promise<void> {
    if (!(await this.repos.tree.headOfSize(size))) throw validationFailed([{ field, reason: `no signed tree head of size ${size}` }]);
  }

  /** Entries oldest first, filtered like the search and limited to the caller's scope, a batch at a time. */
  async *auditExport(p: Principal, filter: Omit<AuditFilter, 'departmentIds'>): AsyncGenerator<AuditEntry[]> {
    const scope = await this.auditScope(p);
    await this.settle();
    for (let after = 0; ; ) {
      const rows = await this.repos.audit.scan({ ...filter, departmentIds: scope }, after, EXPORT_BATCH);
      if (!rows.length) return;
      yield rows.map(entryFromRow);
      after = rows[rows.length - 1].seq;
    }
  }

  private async auditScope(p: Principal): Promise<string[] | undefined> {
    if (isGlobalAdmin(p)) return undefined;
    const supervised = p.grants.filter((g) => g.role === 'supervisor' && g.departmentId).map((g) => g.departmentId as string);
    if (!supervised.length) throw new AccessDenied(ErrorCode.FORBIDDEN, 'only supervisors and administrators read the audit log', { action: 'read-audit' });
    return this.repos.directory.supervisedScope(supervised);
  }

  /** The whole chain, for the operator (`shenpi audit verify`): no caller to scope it. */
  async verifyAll(progress?: (checked: number) => void): Promise<VerifyResult> {
    await this.settle();
    return this.audit.verify(this.repos, progress);
  }

  /** A checkpoint kept elsewhere, for the operator: signed by us, its entry unchanged, the chain since intact. */
  async verifyKeptCheckpoint(checkpoint: Checkpoint, progress?: (checked: number) => void) {
    await this.settle();
    return this.audit.verifyCheckpoint(this.repos, checkpoint, progress);
  }
}
