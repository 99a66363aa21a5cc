import { compileChain, COMPILER_VERSION, lintChainDefinition, type ChainDefinition, type CompiledChain, type DepartmentStaff, type LintResult } from '@shenpi/chains';
import { canonicalJson, sha256, type AuditLog } from '@shenpi/audit';
import { DomainError, ErrorCode, validationFailed, type Actor, type Clock, type Role, type RoleGrant } from '@shenpi/domain';
import type { DepartmentRow, Repositories } from '@shenpi/persistence';
import type { LintDirectoryData } from './chain-lint/lint-directory.js';

/** Chain versions as stored, compiled once per process. Versions are immutable, so the cache never goes stale. */
export class ChainCatalog {
  private readonly compiled = new Map<string, CompiledChain>();

  constructor(
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async get(repos: Repositories, key: string, version: number): Promise<CompiledChain> {
    const id = `${key}@${version}`;
    let chain = this.compiled.get(id);
    if (!chain) {
      const row = await repos.chains.get(key, version);
      if (!row) throw new DomainError(ErrorCode.NOT_FOUND, `chain ${id} not found`);
      const lint = lintChainDefinition(namedByKey(row.definition));
      if (!lint.definition) throw new Error(`stored chain ${id} no longer validates: ${JSON.stringify(lint.errors)}`);
      chain = compileChain(lint.definition);
      this.compiled.set(id, chain);
    }
    return chain;
  }

  /**
   * A chain that ships with the service is published when it changed since the service last
   * published it, not when an administrator has since published a version of their own.
   */
  async publishShipped(repos: Repositories, raw: unknown, actor: Actor): Promise<void> {
    const key = (raw as { key?: unknown })?.key;
    const ours = typeof key === 'string' ? await repos.chains.latestBy(key, actor.id) : undefined;
    if (ours && canonicalJson(ours.definition) === canonicalJson(raw)) return;
    await this.publish(repos, raw, actor);
  }

  /**
   * Who exists, for linting an administrator's definition (roles nobody holds, unknown users,
   * staffing under separation of duties): read here, the lint itself runs on ChainLinter's thread.
   */
  async lintDirectory(repos: Repositories, raw: unknown): Promise<LintDirectoryData> {
    const held = await repos.directory.heldRoles();
    const steps = (raw as { steps?: { assignees?: { userId?: unknown }[] }[] })?.steps;
    const ids = (Array.isArray(steps) ? steps : []).flatMap((s) => (Array.isArray(s?.assignees) ? s.assignees : []).map((a) => a?.userId));
    const uuids = ids.filter((id): id is string => typeof id === 'string' && /^[0-9a-f-]{36}$/i.test(id));
    const users = await repos.directory.existingUserIds([...new Set(uuids)]);
    const staff = staffing(await repos.directory.departments(), await repos.directory.allGrants());
    return { held: held.map((h) => ({ role: h.role, inOffice: h.inOffice })), users: [...users], staff };
  }

  /**
   * Publishes a definition as version N+1 of its key, unless it equals the latest version (then
   * nothing changes). Audited as a configuration change. Returns the version in force. An
   * administrator's definition comes linted (ChainPublishingUseCase, off the writer); one that
   * ships with the service or a test is linted here, without a directory.
   */
  async publish(repos: Repositories, raw: unknown, actor: Actor, lint: LintResult = lintChainDefinition(raw)): Promise<{ key: string; version: number; created: boolean }> {
    if (!lint.definition) throw validationFailed(lint.errors.map((e) => ({ field: e.path, reason: e.reason, message: e.message })));
    const definition: ChainDefinition = lint.definition;
    const latest = await repos.chains.latest(definition.key);
    if (latest && canonicalJson(latest.definition) === canonicalJson(raw)) {
      return { key: definition.key, version: latest.version, created: false };
    }
    const version = (latest?.version ?? 0) + 1;
    await repos.chains.insert({
      chainKey: definition.key,
      version,
      name: `${definition.name.zh} / ${definition.name.en}`,
      definition: raw,
      compilerVersion: COMPILER_VERSION,
      createdBy: actor.id,
      createdAt: this.clock.now().toISOString(),
    });
    await this.audit.append(repos, {
      category: 'configuration',
      action: 'publish-chain',
      actor,
      details: {
        chainKey: definition.key,
        version,
        previousVersion: latest?.version ?? null,
        // Both texts stay readable at GET /api/chains/:key/versions/:v; the hashes pin them, the step lists say what moved.
        definitionSha256: sha256(canonicalJson(raw)),
        previousDefinitionSha256: latest ? sha256(canonicalJson(latest.definition)) : null,
        steps: stepChanges(latest?.definition, raw),
      },
    });
    return { key: definition.key, version, created: true };
  }
}

/**
 * Who holds which role in each department, for the lint's separation-of-duties count. A rule-of-law
 * office is a department others report to. Supervisors never decide, wherever they supervise.
 */
function staffing(departments: DepartmentRow[], grants: (RoleGrant & { userId: string })[]): (DepartmentStaff & { inOffice: boolean })[] {
  const offices = new Set(departments.map((d) => d.officeId).filter((id) => id !== null));
  const supervisors = new Set(grants.filter((g) => g.role === 'supervisor').map((g) => g.userId));
  const staff = new Map(departments.map((d) => [d.id, { departmentId: d.id, inOffice: offices.has(d.id), holders: {} as Partial<Record<Role, string[]>> }]));
  for (const g of grants) {
    const dept = g.departmentId === null ? undefined : staff.get(g.departmentId);
    if (dept && !supervisors.has(g.userId)) (dept.holders[g.role] ??= []).push(g.userId);
  }
  return [...staff.values()];
}

/** Which steps a new version adds, removes or changes, by key. */
function stepChanges(before: unknown, after: unknown): { added: string[]; removed: string[]; changed: string[] } {
  const steps = (d: unknown) => new Map(((d as ChainDefinition | undefined)?.steps ?? []).map((s) => [s.key, canonicalJson(s)]));
  const old = steps(before);
  const now = steps(after);
  return {
    added: [...now.keys()].filter((k) => !old.has(k)),
    removed: [...old.keys()].filter((k) => !now.has(k)),
    changed: [...now.keys()].filter((k) => old.has(k) && old.get(k) !== now.get(k)),
  };
}

/**
 * A stored version as it was published: before names were required (the lint let a missing one through),
 * a chain, step, field, section or milestone could be published without its name. Such a version still
 * loads, each nameless part named by its key, rather than every read of its documents failing. Stored
 * rows are never rewritten (a version is immutable and its publication is audited by hash).
 */
export function namedByKey(definition: unknown): unknown {
  if (Array.isArray(definition)) return definition.map(namedByKey);
  if (!definition || typeof definition !== 'object') return definition;
  const named = Object.fromEntries(Object.entries(definition).map(([k, v]) => [k, namedByKey(v)]));
  if (typeof named.key === 'string' && named.name === undefined) named.name = { zh: named.key, en: named.key };
  return named;
}

