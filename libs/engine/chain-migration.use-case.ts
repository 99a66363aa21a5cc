import type { AuditLog } from '@shenpi/audit';
import { COMPILER_VERSION, type CompiledChain } from '@shenpi/chains';
import { AccessDenied, ErrorCode, isGlobalAdmin, newId, notFound, validationFailed, type Actor, type Clock, type Principal } from '@shenpi/domain';
import type { ChainMigrationRow, Repositories } from '@shenpi/persistence';
import type { ChainCatalog } from './chain-catalog.js';
import type { DeadlinePlanner } from './deadline-planner.port.js';
import { enterStep, leaveStep } from './step-entry.js';
import type { WriterQueue } from './writer-queue.js';

/** For one running document: the step it would enter on the new version, or why it cannot move. */
export interface MigrationPlanItem {
  documentId: string;
  fromVersion: number;
  state: string;
  to: string | null;
  reason?: string;
}

/**
 * Moves running documents to a newer version of their chain. A dry run lists every running
 * document with the step it maps to (its own key, or `mapping[state]`) or why it cannot move.
 * Applying runs in the background, one audited transition per document, each in its own
 * transaction with the migration's progress; a restart resumes an unfinished migration.
 * A migrated document enters its step afresh: open tasks and timers of the old step are
 * cancelled and the new version's are opened (countersign votes start over).
 */
export class ChainMigrationUseCase {
  private readonly active = new Map<string, Promise<void>>();
  private stopping = false;

  constructor(
    private readonly writer: WriterQueue,
    private readonly chains: ChainCatalog,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly planner: DeadlinePlanner,
  ) {}

  async dryRun(p: Principal, chainKey: string, toVersion: number, mapping: Record<string, string>) {
    this.requireAdmin(p);
    const items = await this.writer.run((repos) => this.plan(repos, chainKey, toVersion, mapping));
    return { chainKey, toVersion, total: items.length, movable: items.filter((i) => i.to).length, blocked: items.filter((i) => !i.to).length, items };
  }

  /** Records the migration and starts it; answers at once with its progress row. */
  async start(p: Principal, chainKey: string, toVersion: number, mapping: Record<string, string>): Promise<ChainMigrationRow> {
    this.requireAdmin(p);
    const row = await this.writer.run(async (repos) => {
      const items = await this.plan(repos, chainKey, toVersion, mapping);
      const at = this.clock.now().toISOString();
      const migration: ChainMigrationRow = { id: newId(), chainKey, toVersion, mapping, status: 'running', total: items.length, done: 0, failed: 0, failures: [], createdBy: p.id, createdAt: at, finishedAt: null };
      await repos.migrations.insert(migration);
      await this.audit.append(repos, {
        category: 'configuration',
        action: 'start-migration',
        actor: { type: 'user', id: p.id, role: 'admin', departmentId: null, onBehalfOf: null },
        details: { migrationId: migration.id, chainKey, toVersion, mapping, total: items.length },
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
      .catch((err) => console.error(`migration ${row.id} stopped: ${err instanceof Error ? err.message : err}; it resumes at the next start`))
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
    await repos.documents.lock(documentId);
    const doc = (await repos.documents.get(documentId))!;
    if (doc.chainVersion >= row.toVersion) return;
    const from = await this.chains.get(repos, doc.chainKey, doc.chainVersion);
    if (from.step(doc.state).final) return;
    const target = await this.chains.get(repos, row.chainKey, row.toVersion);
    const item = mapOne(doc.id, doc.chainVersion, doc.state, target, row.toVersion, row.mapping);
    if (!item.to) {
      await repos.migrations.count(row.id, { failure: { documentId: doc.id, reason: item.reason! } });
      return;
    }
    const at = this.clock.now().toISOString();
    const rounds = (doc.context as { rounds?: Record<string, number> }).rounds ?? {};
    const position = target.positionAt(item.to, rounds);
    const moved = { ...doc, chainVersion: row.toVersion, compilerVersion: COMPILER_VERSION, state: position.stateKey, context: position.context as unknown as Record<string, unknown>, version: doc.version + 1, updatedAt: at };
    if (!(await repos.documents.moveToVersion(moved, doc.version))) throw new Error(`document ${doc.id} changed during its migration`);
    await leaveStep(repos, doc.id, doc.state, at);
    const department = (await repos.directory.department(doc.departmentId))!;
    moved.dueAt = await enterStep(repos, target, moved, department, at, this.planner);
    const actor: Actor = { type: 'user', id: row.createdBy, role: 'admin', departmentId: null, onBehalfOf: null };
    await this.audit.append(repos, {
      category: 'transition',
      action: 'migrate',
      actor,
      departmentId: doc.departmentId,
      documentId: doc.id,
      from: doc.state,
      to: moved.state,
      details: { version: moved.version, migrationId: row.id, fromVersion: doc.chainVersion, toVersion: row.toVersion },
    });
    await repos.migrations.count(row.id, {});
  }

  private async plan(repos: Repositories, chainKey: string, toVersion: number, mapping: Record<string, string>): Promise<MigrationPlanItem[]> {
    if (!(await repos.chains.get(chainKey, toVersion))) throw validationFailed([{ field: 'toVersion', reason: `chain ${chainKey} has no version ${toVersion}` }]);
    const target = await this.chains.get(repos, chainKey, toVersion);
    const badMapping = Object.entries(mapping).filter(([, to]) => !target.hasStep(to));
    if (badMapping.length) throw validationFailed(badMapping.map(([from, to]) => ({ field: `mapping.${from}`, reason: `version ${toVersion} has no step "${to}"` })));
    const items: MigrationPlanItem[] = [];
    for (const doc of await repos.documents.onOlderVersions(chainKey, toVersion)) {
      const from = await this.chains.get(repos, chainKey, doc.chainVersion);
      // A finished document keeps the version it finished on.
      if (from.step(doc.state).final) continue;
      items.push(mapOne(doc.id, doc.chainVersion, doc.state, target, toVersion, mapping));
    }
    return items;
  }

  private requireAdmin(p: Principal): void {
    if (!isGlobalAdmin(p)) throw new AccessDenied(ErrorCode.FORBIDDEN, 'only administrators migrate documents', { action: 'migrate' });
  }
}

function mapOne(documentId: string, fromVersion: number, state: string, target: CompiledChain, toVersion: number, mapping: Record<string, string>): MigrationPlanItem {
  const to = mapping[state] ?? state;
  const base = { documentId, fromVersion, state };
  if (!target.hasStep(to)) return { ...base, to: null, reason: `version ${toVersion} has no step "${to}": map "${state}" to one of its steps` };
  if (target.step(to).final) return { ...base, to: null, reason: `"${to}" is a final step: a migration does not finish a document` };
  return { ...base, to };
}
