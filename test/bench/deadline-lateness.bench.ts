import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemActor, systemClock, type Principal } from '@shenpi/domain';
import { Engine } from '@shenpi/engine';
import { CalendarDeadlinePlanner, startScheduler, WorkingCalendar } from '@shenpi/scheduling';
import { annualReportChain } from '../../workflows/annual-report/annual-report.chain.js';
import { summarize, type Figure } from './stats.js';
import { REPORT_OUTLINE } from '../support/report-outline.js';

/** A chain whose legal review is due a few seconds after submission: only the `due` row fires. */
function chainDueIn(seconds: number) {
  const chain = JSON.parse(JSON.stringify(annualReportChain));
  chain.key = `bench-due-${seconds}`;
  chain.uniquePerDepartmentAndYear = false;
  chain.steps[1].deadline = { seconds };
  return chain;
}

/**
 * Deadline lateness: `fired_at − fire_at` for `count` deadlines spread over a few seconds, on
 * the embedded poller and on BullMQ (real Redis), each on a fresh SQLite database.
 */
export async function deadlineLateness(kind: 'embedded' | 'bullmq', count: number, redisUrl: string): Promise<Figure> {
  const dir = mkdtempSync(join(tmpdir(), 'shenpi-bench-'));
  const engine = await Engine.open({ database: { sqlitePath: join(dir, 'bench.sqlite') }, clock: systemClock, planner: new CalendarDeadlinePlanner(WorkingCalendar.load()) });
  try {
    await engine.directory.seedDemo('bench-password');
    const drafter = (await engine.authentication.login('drafter', 'bench-password')) as Principal;
    for (const s of [2, 3, 4]) await engine.writer.run((r) => engine.chains.publish(r, chainDueIn(s), systemActor('bench')));
    const scheduler = await startScheduler(engine, {
      redisUrl: kind === 'bullmq' ? redisUrl : undefined,
      processors: true,
      queueName: `shenpi-bench-${process.pid}`,
      reconcileIntervalMs: 3_600_000,
    });
    try {
      for (let i = 0; i < count; i++) {
        const doc = await engine.createDocument.execute({ principal: drafter, chain: `bench-due-${2 + (i % 3)}`, title: `b${i}`, year: 2025, departmentId: 'city-sti', content: REPORT_OUTLINE });
        await engine.transition.execute({ documentId: doc.id, action: 'submit', principal: drafter });
      }
      const until = Date.now() + 30_000;
      for (;;) {
        const left = await engine.database.reader.one<{ n: number }>("SELECT COUNT(*) AS n FROM deadlines WHERE status = 'pending' AND kind = 'due'");
        if (Number(left!.n) === 0 || Date.now() > until) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const rows = await engine.database.reader.all<{ fire_at: string; fired_at: string | null }>("SELECT fire_at, fired_at FROM deadlines WHERE kind = 'due'");
      const late = rows.filter((r) => r.fired_at).map((r) => Date.parse(r.fired_at!) - Date.parse(r.fire_at));
      if (late.length !== count) throw new Error(`${kind}: only ${late.length} of ${count} deadlines fired`);
      return summarize(`deadline lateness, ${kind}`, 'ms', late);
    } finally {
      await scheduler.stop();
    }
  } finally {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
