import type { CompiledChain, FixedDate } from '@shenpi/chains';
import { AccessDenied, BOM, csvRow, ErrorCode, isGlobalAdmin, validationFailed, type Clock, type Principal } from '@shenpi/domain';
import { Repositories, type Database } from '@shenpi/persistence';
import type { ChainCatalog } from './chain-catalog.js';
import type { DeadlinePlanner } from './deadline-planner.port.js';
import { LATE_RECORD_WORKING_DAYS, publishedOnOf, reachedAt, standing, type EnteringEntry, type MilestoneStanding } from './milestone-standing.js';

export { standing, type MilestoneStanding } from './milestone-standing.js';

type Name = { zh: string; en: string };

/** One statutory date of the chain (its `milestones`), for the overview's year. */
export interface OverviewMilestone {
  key: string;
  name: Name;
  /** The step the document must have entered… */
  step: string;
  /** …by this instant (UTC): the end of the day before the chain's fixed date, Asia/Shanghai. */
  dueAt: string;
}

/** A department's row: its document of the chain and year, or `state: 'missing'` when it has none. */
export interface DepartmentStanding {
  departmentId: string;
  departmentName: string;
  documentId: string | null;
  title: string | null;
  /** The document's step key; 'missing' when the department has no document for the year. */
  state: string;
  milestones: MilestoneStanding[];
}

export interface OnTimeRate {
  departmentId: string;
  /** Milestones already decided: reached, or their date has passed. */
  due: number;
  /** Of those, reached by their date. */
  met: number;
  /** met / due, to 4 decimals; null when nothing is due yet. */
  rate: number | null;
}

export interface StepDuration {
  step: string;
  name: Name | null;
  /** Completed stays (entered and left again), every round of every document in the overview. */
  count: number;
  /** Median wall-clock hours of those stays, to 2 decimals (the mean of the middle two for an even count); null when none. */
  medianHours: number | null;
}

/** A document a global administrator moved forward past steps of a new chain version (a forced migration). */
export interface ForcedMigration {
  documentId: string;
  departmentId: string;
  at: string;
  actorId: string;
  from: string;
  to: string;
  reason: string;
  migrationId: string;
}

/**
 * GET /api/supervision/overview?chain=&year= — 督察 (inspection) of a chain's statutory dates:
 *
 * `{ chain, chainVersion, year, generatedAt, milestones: [OverviewMilestone], departments: [DepartmentStanding],
 *    onTimeRate: [OnTimeRate], stepDurations: [StepDuration], forcedMigrations: [ForcedMigration] }`
 *    (`forcedMigrations` in the JSON only: see SupervisionReport)
 *
 * - Departments: those in the caller's scope (a global admin: all; a supervisor: the departments
 *   supervised and every department reporting to them) that are not rule-of-law offices themselves
 *   (an office is a department some other department names as its `officeId`), ordered by id. Each
 *   document of the chain and year is a row; a department without one is one row, `state: 'missing'`,
 *   judged against the dates like a document that never moves (rule-of-law offices criticise missing
 *   reports as they do late ones).
 * - Milestones: the columns are those of the chain's latest version; a document is judged by its own
 *   version's milestone of the same key (falling back to the latest's). A milestone is met when the
 *   document first entered its step at or before the due instant (per the transition audit entries);
 *   a step entered by recording a disclosure counts as reached on the publication date the record
 *   names, not when it was recorded (`reachedAt` in milestone-standing.ts).
 * - `onTimeRate`: per department, over its rows. `stepDurations`: per step, from the state changes in
 *   the audit log of the overview's documents; the chain's non-final steps in order, then any step only
 *   older versions have.
 * - `forcedMigrations`: the overview's documents that a forced chain migration moved forward, from
 *   their `migrate-forced` audit entries, oldest first.
 * - Times are UTC ISO strings; days are counted in Asia/Shanghai.
 */
export interface SupervisionOverview {
  chain: string;
  chainVersion: number;
  year: number;
  generatedAt: string;
  milestones: OverviewMilestone[];
  departments: DepartmentStanding[];
  onTimeRate: OnTimeRate[];
  stepDurations: StepDuration[];
}

/** The overview as JSON: the statutory standing (also the CSV's rows) and the forced migrations. */
export interface SupervisionReport extends SupervisionOverview {
  forcedMigrations: ForcedMigration[];
}

const HOUR_MS = 3_600_000;
const round = (x: number, decimals: number) => Math.round(x * 10 ** decimals) / 10 ** decimals;

function median(values: number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The supervisors' read side (督察): statutory dates met and missed, per department. Read-only connection. */
export class SupervisionQueries {
  private readonly repos: Repositories;

  constructor(
    database: Database,
    private readonly chains: ChainCatalog,
    private readonly planner: DeadlinePlanner,
    private readonly clock: Clock,
    /** Puts entries committed so far into the audit log (PostgreSQL's sequencer), before it is read. */
    private readonly settleAudit: () => Promise<void>,
  ) {
    this.repos = new Repositories(database.reader);
  }

  async overview(p: Principal, chainKey: string, year: number): Promise<SupervisionReport> {
    if (!Number.isInteger(year) || year < 2000 || year > 2100) throw validationFailed([{ field: 'year', reason: 'year must be an integer from 2000 to 2100' }]);
    const latest = await this.repos.chains.latest(chainKey);
    if (!latest) throw validationFailed([{ field: 'chain', reason: `no chain "${chainKey}"` }]);
    const scope = await this.scope(p);
    const now = this.clock.now();
    const chain = await this.chains.get(this.repos, chainKey, latest.version);
    const specs = chain.definition.milestones ?? [];
    const milestones = specs.map((m) => ({ key: m.key, name: m.name, step: m.step, dueAt: this.planner.fixedDateDue(m.before, year).toISOString() }));

    // State changes and disclosure records are read from the log: entries committed so far go into it first (PostgreSQL's sequencer).
    await this.settleAudit();
    const rows = await this.repos.documents.overviewRows(chainKey, year, scope);
    const documentIds = rows.map((r) => r.documentId).filter((id): id is string => id !== null);
    const changes = new Map<string, { seq: number; at: string; to: string }[]>();
    for (const c of await this.repos.documents.stateChanges(documentIds)) {
      const list = changes.get(c.documentId) ?? [];
      list.push({ seq: c.seq, at: c.at, to: c.to });
      changes.set(c.documentId, list);
    }
    const versions = new Map<number, CompiledChain>([[latest.version, chain]]);
    for (const v of new Set(rows.map((r) => r.chainVersion).filter((v): v is number => v !== null))) {
      if (!versions.has(v)) versions.set(v, await this.chains.get(this.repos, chainKey, v));
    }

    const departments: DepartmentStanding[] = [];
    for (const r of rows) {
      const own = r.chainVersion === null ? chain : versions.get(r.chainVersion)!;
      const history = (r.documentId && changes.get(r.documentId)) || [];
      const disclosed = disclosureSteps(own);
      const milestones: MilestoneStanding[] = [];
      for (const latestSpec of specs) {
        const spec: { step: string; before: FixedDate } = own.definition.milestones?.find((m) => m.key === latestSpec.key) ?? latestSpec;
        const change = history.find((c) => c.to === spec.step);
        // The state changes carry no details: the publication date is read from the entry itself.
        const entering = change && disclosed.has(spec.step) ? await this.entry(r.documentId!, change.seq) : change;
        const reached = reachedAt(entering);
        const mark = standing(latestSpec.key, this.planner.fixedDateDue(spec.before, year), reached, now);
        // Judged on the publication date; a record made long after it is marked (补录), with both dates.
        const publishedOn = entering && publishedOnOf(entering);
        if (entering && publishedOn && reached) {
          const recordedLate = this.planner.workingDaysBetween(new Date(reached), new Date(entering.at)) > LATE_RECORD_WORKING_DAYS;
          mark.disclosure = { publishedOn, recordedAt: entering.at, recordedLate };
        }
        milestones.push(mark);
      }
      departments.push({ departmentId: r.departmentId, departmentName: r.departmentName, documentId: r.documentId, title: r.title, state: r.state ?? 'missing', milestones });
    }

    const rates = new Map<string, OnTimeRate>();
    for (const d of departments) {
      const rate = rates.get(d.departmentId) ?? { departmentId: d.departmentId, due: 0, met: 0, rate: null };
      for (const m of d.milestones) {
        if (m.met === null) continue;
        rate.due++;
        if (m.met) rate.met++;
      }
      rate.rate = rate.due ? round(rate.met / rate.due, 4) : null;
      rates.set(d.departmentId, rate);
    }

    const stays = new Map<string, number[]>(chain.definition.steps.filter((s) => !s.final).map((s) => [s.key, []]));
    for (const history of changes.values()) {
      for (let i = 0; i + 1 < history.length; i++) {
        const hours = (Date.parse(history[i + 1].at) - Date.parse(history[i].at)) / HOUR_MS;
        const list = stays.get(history[i].to) ?? [];
        list.push(hours);
        stays.set(history[i].to, list);
      }
    }
    const nameOf = (step: string) => [...versions.values()].find((c) => c.hasStep(step))?.step(step).name ?? null;
    const stepDurations = [...stays].map(([step, hours]) => {
      const m = median(hours);
      return { step, name: nameOf(step), count: hours.length, medianHours: m === null ? null : round(m, 2) };
    });

    return {
      chain: chainKey,
      chainVersion: latest.version,
      year,
      generatedAt: now.toISOString(),
      milestones,
      departments,
      onTimeRate: [...rates.values()],
      stepDurations,
      forcedMigrations: await this.forcedMigrations(new Set(documentIds), scope),
    };
  }

  /** A document's transition entry `seq`, with its details. */
  private async entry(documentId: string, seq: number): Promise<EnteringEntry | undefined> {
    const row = (await this.repos.audit.forDocument(documentId, 'transition')).find((e) => e.seq === seq);
    return row && { at: row.at, details: JSON.parse(row.details) as Record<string, unknown> };
  }

  /** The forced moves of these documents. Few by nature: read through the action index, in pages. */
  private async forcedMigrations(documentIds: Set<string>, scope: string[] | 'all'): Promise<ForcedMigration[]> {
    const filter = { action: 'migrate-forced', category: 'transition', ...(scope === 'all' ? {} : { departmentIds: scope }) };
    const out: ForcedMigration[] = [];
    for (let after = 0; ; ) {
      const page = await this.repos.audit.scan(filter, after, 500);
      for (const e of page) {
        const details = JSON.parse(e.details) as { migrationId?: string; reason?: string };
        // A chain may name one of its own actions so; a migration's entry names its migration.
        if (!e.documentId || !documentIds.has(e.documentId) || !details.migrationId) continue;
        out.push({ documentId: e.documentId, departmentId: e.departmentId!, at: e.at, actorId: e.actorId, from: e.fromState!, to: e.toState!, reason: details.reason ?? '', migrationId: details.migrationId });
      }
      if (page.length < 500) return out;
      after = page.at(-1)!.seq;
    }
  }

  /** The departments the caller oversees ('all' for a global admin); anyone else gets 403. */
  private async scope(p: Principal): Promise<string[] | 'all'> {
    if (isGlobalAdmin(p)) return 'all';
    const supervised = p.grants.filter((g) => g.role === 'supervisor' && g.departmentId).map((g) => g.departmentId as string);
    if (!supervised.length) {
      throw new AccessDenied(ErrorCode.FORBIDDEN, 'only supervisors and administrators read the supervision overview', { action: 'read-supervision-overview' });
    }
    return this.repos.directory.supervisedScope(supervised);
  }
}

/** The steps a chain enters by recording a disclosure (a transition with the `disclosure` payload). */
function disclosureSteps(chain: CompiledChain): Set<string> {
  return new Set(chain.declaredActions().flatMap((t) => (t.payload === 'disclosure' && t.to ? [t.to] : [])));
}

const CSV_HEADER = [
  '部门编号 / Department ID',
  '部门 / Department',
  '文档编号 / Document ID',
  '标题 / Title',
  '状态 / State',
  '节点 / Milestone',
  '截止时间 (UTC) / Due at (UTC)',
  '到达时间 (UTC) / Reached at (UTC)',
  '是否按时 / Met',
  '逾期天数 / Days overdue',
  '公开日期 / Published on',
  '登记时间 (UTC) / Recorded at (UTC)',
  '补录 / Recorded late',
];

const MET_LABEL = (met: boolean | null) => (met === null ? '未到期 / not yet due' : met ? '是 / yes' : '否 / no');

/**
 * The overview as CSV for spreadsheets: UTF-8 with a byte-order mark (Excel reads Chinese correctly
 * only with it), CRLF line ends, one header row (Chinese / English), then one row per department row
 * and milestone, in the overview's order.
 */
export function overviewCsv(o: SupervisionOverview): string {
  const names = new Map(o.milestones.map((m) => [m.key, `${m.name.zh} / ${m.name.en}`]));
  let csv = BOM + csvRow(CSV_HEADER);
  for (const d of o.departments) {
    for (const m of d.milestones) {
      const disclosure = m.disclosure;
      csv += csvRow([d.departmentId, d.departmentName, d.documentId, d.title, d.state, names.get(m.key) ?? m.key, m.dueAt, m.reachedAt, MET_LABEL(m.met), m.daysOverdue,
        disclosure?.publishedOn ?? null, disclosure?.recordedAt ?? null, disclosure ? (disclosure.recordedLate ? '是 / yes' : '否 / no') : null]);
    }
  }
  return csv;
}
