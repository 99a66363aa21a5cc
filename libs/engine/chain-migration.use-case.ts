import type { AuditLog } from '@shenpi/audit';
import { COMPILER_VERSION, type CompiledChain } from '@shenpi/chains';
import { AccessDenied, DomainError, ErrorCode, isGlobalAdmin, newId, notFound, validationFailed, type Actor, type Clock, type FieldError, type Principal } from '@shenpi/domain';
import type { ChainMigrationRow, Repositories } from '@shenpi/persistence';
import type { ChainCatalog } from './chain-catalog.js';
import { roundsOf } from './document/document-state.js';
import type { DocumentKernel } from './document/document-kernel.js';
import { failure, type Log } from './log.js';
import type { WriterQueue } from './writer-queue.js';

/** For one running document: the step it would enter on the new version, or why it cannot move. */
export interface MigrationPlanItem {
  documentId: string;
  fromVersion: number;
  state: string;
  to: string | null;
  reason?: string;
  /** The move goes forward past steps of the new version: allowed only in a forced migration. */
  forced?: true;
}

/** A global administrator's override of the no-skip rule: `force` needs a `reason`. */
export interface MigrationOverride {
  force?: boolean;
  reason?: string;
}

/**
 * Moves running documents to a newer version of their chain. A dry run lists every running
 * document with the step it maps to (its own key, or `mapping[state]`) or why it cannot move.
 * Applying runs in the background, one audited transition per document, each in its own
 * transaction with the migration's progress; a restart resumes an unfinished migration.
 * A migrated document enters its step afresh: open tasks of the old step are cancelled, its timers
 * left stale (a new round), and the new version's are opened (countersign votes start over).
 *
 * A migration never skips a review: each document lands on its own step or an earlier one of the
 * new version (see `furthestAllowed`), or the whole migration is refused (422). A global
 * administrator may force forward moves with a reason; each is audited as `migrate-forced`.
 */
export class ChainMigrationUseCase {
  private readonly active = new Map<string, Promise<void>>();
  private stopping = false;

  constructor(
    private readonly writer: WriterQueue,
    private readonly chains: ChainCatalog,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly kernel: DocumentKernel,
    private readonly log: Log,
  ) {}

  async dryRun(p: Principal, chainKey: string, toVersion: number, mapping: Record<string, string>, override: MigrationOverride = {}) {
    this.requireAdmin(p);
    const { force } = overrideOf(override);
    const items = await this.writer.run((repos) => this.plan(repos, chainKey, toVersion, mapping, force));
    const count = (keep: (i: MigrationPlanItem) => unknown) => items.filter(keep).length;
    return { chainKey, toVersion, total: items.length, movable: count((i) => i.to), blocked: count((i) => !i.to), forced: count((i) => i.forced), items };
  }

  /** Records the migration and starts it; answers at once with its progress row. */
  async start(p: Principal, chainKey: string, toVersion: number, mapping: Record<string, string>, override: MigrationOverride = {}): Promise<ChainMigrationRow> {
    this.requireAdmin(p);
    const { force, reason } = overrideOf(override);
    const row = await this.writer.run(async (repos) => {
      const items = await this.plan(repos, chainKey, toVersion, mapping, force);
      const at = this.clock.now().toISOString();
      const migration: ChainMigrationRow = { id: newId(), chainKey, toVersion, mapping, force, reason, status: 'running', total: items.length, done: 0, failed: 0, failures: [], createdBy: p.id, createdAt: at, finishedAt: null };
      await repos.migrations.insert(migration);
      await this.audit.append(repos, {
        category: 'configuration',
        action: 'start-migration',
        actor: { type: 'user', id: p.id, role: 'admin', departmentId: null, onBehalfOf: null },
        details: { migrationId: migration.id, chainKey, toVersion, mapping, force, reason, total: items.length },
      });
      return migration;
    });
    this.launch(row);
    return row;
  }

  async progress(p: Principal, id: string): Promise<ChainMigrationRow> {
    this.requireAdmin(p);
    const row = await this.writer.run((repos) => repos.migrations.get(id));
    if (!row) throw notFound('migration');
    return row;
  }

  /** Picks up migrations a stop interrupted (each document moves once: the version check skips the done ones). */
  async resume(): Promise<void> {
    const running = await this.writer.run((repos) => repos.migrations.running());
    for (const row of running) this.launch(row);
  }

  /** Resolves when every migration started in this process has finished (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.active.size) await Promise.all(this.active.values());
  }

  /** Lets the running batches stop after their current document; a restart resumes them. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.idle();
  }

  private launch(row: ChainMigrationRow): void {
    if (this.active.has(row.id)) return;
    const run = this.run(row)
      .catch((err) => this.log.error({ component: 'chain-migration', migrationId: row.id, ...failure(err) }, 'migration stopped; it resumes at the next start'))
      .finally(() => this.active.delete(row.id));
    this.active.set(row.id, run);
  }

  private async run(row: ChainMigrationRow): Promise<void> {
    const seen = new Set(row.failures.map((f) => f.documentId));
    const pending = await this.writer.run((repos) => repos.documents.onOlderVersions(row.chainKey, row.toVersion));
    for (const { id } of pending) {
      if (this.stopping) return;
      if (seen.has(id)) continue;
      await this.writer.run((repos) => this.migrateOne(repos, row, id));
    }
    await this.writer.run((repos) => repos.migrations.finish(row.id, this.clock.now().toISOString()));
  }

  private async migrateOne(repos: Repositories, row: ChainMigrationRow, documentId: string): Promise<void> {
    const open = await this.kernel.open(repos, documentId, null, { action: 'migrate' });
    const { doc, chain: from } = open;
    if (doc.chainVersion >= row.toVersion) return;
    if (from.step(doc.state).final) return;
    const target = await this.chains.get(repos, row.chainKey, row.toVersion);
    const item = mapOne(doc.id, doc.chainVersion, doc.state, from, target, row.toVersion, row.mapping, row.force);
    if (!item.to) {
      await repos.migrations.count(row.id, { failure: { documentId: doc.id, reason: item.reason! } });
      return;
    }
    const at = this.clock.now().toISOString();
    const rounds = roundsOf(doc);
    const position = target.positionAt(item.to, rounds);
    // The step is entered afresh: its statutory clock ends with the old one; back at the first step a new review round begins.
    const { clock: _, ...attributes } = doc.attributes;
    if (position.stateKey === target.definition.initial) attributes.roundBase = { ...position.context.rounds };
    const moved = {
      ...doc,
      chainVersion: row.toVersion,
      compilerVersion: COMPILER_VERSION,
      state: position.stateKey,
      context: position.context as unknown as Record<string, unknown>,
      attributes,
      version: doc.version + 1,
      updatedAt: at,
    };
    const actor: Actor = { type: 'user', id: row.createdBy, role: 'admin', departmentId: null, onBehalfOf: null };
    await this.kernel.move(repos, open, moved, target, {
      action: item.forced ? 'migrate-forced' : 'migrate',
      actor,
      details: { version: moved.version, migrationId: row.id, fromVersion: doc.chainVersion, toVersion: row.toVersion, ...(item.forced ? { reason: row.reason } : {}) },
    }, at);
    await repos.migrations.count(row.id, {});
  }

  private async plan(repos: Repositories, chainKey: string, toVersion: number, mapping: Record<string, string>, force: boolean): Promise<MigrationPlanItem[]> {
    if (!(await repos.chains.get(chainKey, toVersion))) throw validationFailed([{ field: 'toVersion', reason: `chain ${chainKey} has no version ${toVersion}` }]);
    const target = await this.chains.get(repos, chainKey, toVersion);
    const badMapping = Object.entries(mapping).filter(([, to]) => !target.hasStep(to));
    if (badMapping.length) throw validationFailed(badMapping.map(([from, to]) => ({ field: `mapping.${from}`, reason: `version ${toVersion} has no step "${to}"` })));
    if (!force) await this.refuseSkips(repos, chainKey, target, toVersion, mapping);
    const items: MigrationPlanItem[] = [];
    for (const doc of await repos.documents.onOlderVersions(chainKey, toVersion)) {
      const from = await this.chains.get(repos, chainKey, doc.chainVersion);
      // A finished document keeps the version it finished on.
      if (from.step(doc.state).final) continue;
      items.push(mapOne(doc.id, doc.chainVersion, doc.state, from, target, toVersion, mapping, force));
    }
    return items;
  }

  /**
   * 422 naming every mapping entry that would move a document forward, whether or not a document
   * is in that step now. A step the new version lacks is judged on each older version that has it.
   * Unmapped steps need no check: they keep their key, so they stay where they are or cannot move.
   */
  private async refuseSkips(repos: Repositories, chainKey: string, target: CompiledChain, toVersion: number, mapping: Record<string, string>): Promise<void> {
    const entries = Object.entries(mapping);
    const older = entries.some(([from]) => !target.hasStep(from)) ? await this.olderVersions(repos, chainKey, toVersion) : [];
    const skips: FieldError[] = [];
    for (const [from, to] of entries) {
      // The strictest of the older versions that have the step; none has it: only the initial step.
      const limits = target.hasStep(from) ? [stepIndex(target, from)] : older.filter((c) => c.hasStep(from)).map((c) => furthestAllowed(from, c, target));
      const limit = limits.length ? Math.min(...limits) : -1;
      if (!allowed(to, limit, target)) skips.push({ field: `mapping.${from}`, reason: skipReason(from, to, limit, target, toVersion) });
    }
    if (skips.length) throw new DomainError(ErrorCode.MIGRATION_SKIPS_REVIEW, 'the migration would move documents past steps of the new version', skips);
  }

  private async olderVersions(repos: Repositories, chainKey: string, toVersion: number): Promise<CompiledChain[]> {
    const chains: CompiledChain[] = [];
    // Versions are numbered 1, 2, … without gaps.
    for (let v = 1; v < toVersion; v++) chains.push(await this.chains.get(repos, chainKey, v));
    return chains;
  }

  private requireAdmin(p: Principal): void {
    if (!isGlobalAdmin(p)) throw new AccessDenied(ErrorCode.FORBIDDEN, 'only administrators migrate documents', { action: 'migrate' });
  }
}

function mapOne(
  documentId: string,
  fromVersion: number,
  state: string,
  from: CompiledChain,
  target: CompiledChain,
  toVersion: number,
  mapping: Record<string, string>,
  force: boolean,
): MigrationPlanItem {
  const to = mapping[state] ?? state;
  const base = { documentId, fromVersion, state };
  if (!target.hasStep(to)) return { ...base, to: null, reason: `version ${toVersion} has no step "${to}": map "${state}" to one of its steps` };
  if (target.step(to).final) return { ...base, to: null, reason: `"${to}" is a final step: a migration does not finish a document` };
  const limit = furthestAllowed(state, from, target);
  if (allowed(to, limit, target)) return { ...base, to };
  // The plan refuses such a mapping before any document moves; this guards the batch itself.
  if (!force) return { ...base, to: null, reason: skipReason(state, to, limit, target, toVersion) };
  return { ...base, to, forced: true };
}

const stepIndex = (chain: CompiledChain, key: string) => chain.definition.steps.findIndex((s) => s.key === key);

/**
 * How far into `target` (an index of its steps) a document in `state` may go without skipping a
 * step: its own step when the new version has it; else the last step before it in its old version
 * (`from`) that the new version still has, to be done again. -1: none survives, only the initial step.
 */
function furthestAllowed(state: string, from: CompiledChain, target: CompiledChain): number {
  if (target.hasStep(state)) return stepIndex(target, state);
  const before = from.definition.steps.map((s) => s.key);
  for (let i = before.indexOf(state) - 1; i >= 0; i--) if (target.hasStep(before[i])) return stepIndex(target, before[i]);
  return -1;
}

/** Back to the start skips nothing, wherever the definition lists its initial step. */
function allowed(to: string, limit: number, target: CompiledChain): boolean {
  return to === target.definition.initial || stepIndex(target, to) <= limit;
}

function skipReason(state: string, to: string, limit: number, target: CompiledChain, toVersion: number): string {
  if (limit < 0) return `no step before "${state}" is in version ${toVersion}: "${state}" may only map to the initial step "${target.definition.initial}"`;
  const last = target.definition.steps[limit].key;
  return `"${to}" comes after "${last}" in version ${toVersion}: a document in "${state}" would skip a review; map it to "${last}" or an earlier step, or force the migration with a reason`;
}

/** 400 when forcing without a reason; a reason alone is recorded but allows nothing. */
function overrideOf(override: MigrationOverride): { force: boolean; reason: string | null } {
  const reason = override.reason?.trim() || null;
  if (override.force && !reason) throw validationFailed([{ field: 'reason', reason: 'a forced migration needs a reason' }]);
  return { force: override.force === true, reason };
}
