import type { AuditLog } from '@shenpi/audit';
import { AccessDenied, DomainError, ErrorCode, isGlobalAdmin, systemActor, validationFailed, type Actor, type Clock, type Principal } from '@shenpi/domain';
import type { Repositories } from '@shenpi/persistence';
import type { CalendarYears, CalendarYearView, SuppliedYear } from './calendar-years.port.js';
import type { DeadlinePlanner } from './deadline-planner.port.js';
import { retimeDocument } from './deadline-retiming.js';
import type { DocumentKernel } from './document/document-kernel.js';
import { failure, type Log } from './log.js';
import type { WriterQueue } from './writer-queue.js';

const UPLOAD = 'upload-calendar-year';
const RETIME = 'recompute-deadlines';
/** Documents retimed per round of the writer queue (each its own transaction, committed together on SQLite). */
const PAGE = 100;

export interface CalendarUpload {
  year: number;
  /** Documents whose timers of the step they are in moved (or lost `provisional`), each with an audit entry. */
  documentsMoved: number;
  timersMoved: number;
  /** Documents that could not be retimed (e.g. a row that disagrees with its log): left as they were, and logged. */
  documentsFailed: number;
}

/**
 * The official calendar's years at run time. A global administrator uploads a year's arrangement
 * (the State Council's notice): it is checked, stored with a configuration audit entry naming what
 * the calendar said before and after, adopted by this process's calendar, and every document whose
 * live timers span that year has them planned again (deadline-retiming.ts), re-armed, with an entry
 * in its own history. Peer processes (PostgreSQL deployments) adopt a stored year when `refresh`
 * finds its hash differs from theirs, and retime what they may have planned on the old calendar.
 */
export class CalendarYearsUseCase {
  /** Each stored year's hash as this process adopted it. */
  private readonly adopted = new Map<number, string>();
  /** Uploads in this process one at a time: the calendar adopts them in the order they were stored. */
  private uploads: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly writer: WriterQueue,
    private readonly reader: Repositories,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly kernel: DocumentKernel,
    private readonly planner: DeadlinePlanner,
    private readonly log: Log,
  ) {}

  view(year: number): CalendarYearView {
    return this.calendar().view(year);
  }

  async upload(p: Principal, year: number, body: unknown): Promise<CalendarUpload> {
    if (!isGlobalAdmin(p)) throw new AccessDenied(ErrorCode.FORBIDDEN, 'only a global administrator uploads the official calendar', { action: UPLOAD, departmentId: null });
    const actor: Actor = { type: 'user', id: p.id, role: 'admin', departmentId: null, onBehalfOf: null };
    const calendar = this.calendar();
    const problems = calendar.check(body, year);
    if (problems.length) throw validationFailed(problems);
    const { holidays, workdays } = body as Pick<SuppliedYear, 'holidays' | 'workdays'>;
    const run = this.uploads.then(() => this.store(calendar, actor, { year, holidays, workdays, source: 'uploaded' }));
    this.uploads = run.catch(() => undefined);
    return run;
  }

  private async store(calendar: CalendarYears, actor: Actor, year: SuppliedYear): Promise<CalendarUpload> {
    const sha256 = calendar.sha256(year);
    if (calendar.heldSha256(year.year) !== sha256) {
      // Before and after as GET /api/calendar/years/:year answers them: each day { zh, en }, whatever the source.
      const { year: _, ...before } = calendar.view(year.year);
      const { year: __, ...after } = calendar.viewOf(year);
      await this.writer.run(async (repos) => {
        await repos.calendarYears.put({ year: year.year, holidays: year.holidays, workdays: year.workdays, sha256, uploadedBy: actor.id, uploadedAt: this.clock.now().toISOString() });
        await this.audit.append(repos, { category: 'configuration', action: UPLOAD, actor, details: { year: year.year, sha256, before, after } });
      });
      calendar.adopt(year);
    }
    this.adopted.set(year.year, sha256);
    return { year: year.year, ...(await this.retime(year.year, actor)) };
  }

  /** At start-up: the uploaded years, over the packaged ones and the year files. */
  async load(): Promise<number[]> {
    const rows = await this.reader.calendarYears.all();
    for (const row of rows) this.adoptStored(row);
    return rows.map((r) => r.year);
  }

  /**
   * A year another process stored since this one looked is adopted, and what this process may have
   * planned on the old calendar meanwhile is planned again. Returns the years adopted.
   */
  async refresh(): Promise<number[]> {
    const changed = (await this.reader.calendarYears.hashes()).filter((h) => this.adopted.get(h.year) !== h.sha256);
    for (const { year } of changed) {
      const row = await this.reader.calendarYears.get(year);
      if (!row) continue;
      this.calendar().adopt({ year: row.year, holidays: row.holidays, workdays: row.workdays, source: 'uploaded' });
      // Marked as held only once every document was retimed: a failure is tried again at the next refresh.
      if (!(await this.retime(year, systemActor('calendar'))).documentsFailed) this.adopted.set(row.year, row.sha256);
    }
    return changed.map((c) => c.year);
  }

  private adoptStored(row: { year: number; holidays: Record<string, string>; workdays: Record<string, string>; sha256: string }): void {
    this.calendar().adopt({ year: row.year, holidays: row.holidays, workdays: row.workdays, source: 'uploaded' });
    this.adopted.set(row.year, row.sha256);
  }

  /** Plans again the live timers of every document whose timers span `year` (Asia/Shanghai days, with a day's margin). */
  async retime(year: number, actor: Actor): Promise<Omit<CalendarUpload, 'year'>> {
    const from = `${year - 1}-12-31T00:00:00.000Z`;
    const to = `${year + 1}-01-01T00:00:00.000Z`;
    const counts = { documentsMoved: 0, timersMoved: 0, documentsFailed: 0 };
    for (let after = ''; ; ) {
      const ids = await this.reader.deadlines.documentsSpanning(from, to, after, PAGE);
      // One document that cannot be retimed (its row diverged from its log, say) does not stop the others.
      const moved = await Promise.allSettled(ids.map((id) => this.writer.run((repos) => this.retimeOne(repos, id, year, actor))));
      moved.forEach((m, i) => {
        if (m.status === 'rejected') {
          counts.documentsFailed++;
          this.log.error({ component: 'calendar', year, documentId: ids[i], ...failure(m.reason) }, 'document not retimed');
        } else if (m.value) (counts.documentsMoved++, (counts.timersMoved += m.value));
      });
      if (ids.length < PAGE) return counts;
      after = ids[ids.length - 1];
    }
  }

  private async retimeOne(repos: Repositories, documentId: string, year: number, actor: Actor): Promise<number> {
    const { doc, chain, tasks } = await this.kernel.open(repos, documentId, null, { action: RETIME });
    const { moves, due } = await retimeDocument(repos, doc, chain.step(doc.state), this.planner);
    if (!moves.length) return 0;
    if (due) await this.kernel.moveDue(repos, doc, due.to, tasks);
    await this.kernel.record(repos, doc, { action: RETIME, actor, details: { year, timers: moves, ...(due ? { dueAt: { from: due.from.dueAt, to: due.to.dueAt }, provisional: due.to.dueProvisional } : {}) } }, tasks);
    return moves.length;
  }

  private calendar(): CalendarYears {
    const calendar = this.planner.calendar;
    if (!calendar) throw new DomainError(ErrorCode.CONFLICT, 'this service plans no deadlines on a working-day calendar');
    return calendar;
  }
}
