import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import type { AuditEntry } from '@shenpi/audit';
import { compileChain, lintChainDefinition } from '@shenpi/chains';
import { newId } from '@shenpi/domain';
import { BACKSTOP_AUTOCHECKPOINT_PAGES, WalCheckpointer } from '@shenpi/persistence';
import { normativeDocumentChain } from '../../workflows/normative-document/normative-document.chain.js';
import { BENCH_PASSWORD, cloneDocuments, FIELDS, fmt, freshDatabase, log, openEngine, principalOf, shuffled, split, template, type Backend, type Cloned, type Snapshot } from './fixtures.js';
import { runsOf, type Runs } from './stats.js';

/**
 * The floor under a transition: the rows a `lawful` decision writes (legality-review →
 * collective-deliberation), written with the driver and nothing else, and the state machine alone.
 *   - one UPDATE of the document (state, context, attributes, due_at and due_provisional, version),
 *   - one UPDATE closing the decided task, one INSERT opening the next step's task,
 *   - one INSERT per new deadline row (the left step's stay out, its timers are stale: nothing to write),
 *   - SQLite: one audit INSERT (hash-chained; audit_head follows by trigger); PostgreSQL: one INSERT
 *     into the audit intake (the engine's sequencer chains it after commit).
 * Values are the ones the engine wrote for a template document (same sizes), for documents in a
 * random order with their timers spread over 90 days (fixtures.ts); no reads.
 */

export interface FloorOptions {
  runs: number;
  /** Transitions per run (SQLite). */
  perRun: number;
  /** Transitions per run on PostgreSQL (several times slower). */
  perRunPostgres: number;
  /** Transitions in one transaction for the batched SQLite floor (the writer queue's batch size under 50 callers). */
  batch: number;
  /** Concurrent callers on the PostgreSQL floor (pool of 20, as the engine's). */
  callers: number;
  xstateOps: number;
  postgresUrl: string;
}

export interface FloorResult {
  /** better-sqlite3, one transition per transaction, one after another. */
  sqliteOne: Runs;
  /** better-sqlite3, `batch` transitions per transaction. */
  sqliteBatched: Runs;
  /** pg pool of 20, `callers` concurrent callers, one transition per transaction. */
  postgres?: Runs;
  /** compileChain + chain.next + JSON.stringify of the context, one core. */
  xstate: Runs;
  /** The template's rows per transition, for the notes. */
  writes: { newDeadlines: number };
}

interface Shapes {
  before: Snapshot;
  after: Snapshot;
  /** The `lawful` audit row of the after-template. */
  audit: Record<string, unknown>;
  /** The same entry as PostgreSQL's transaction writes it: unsequenced, in the intake. */
  intake: Record<string, unknown>;
  counselId: string;
}

/** An entry's intake row (PostgreSQL), column by column, from its canonical text. */
function intakeOf(canonical: string): Record<string, unknown> {
  const e = JSON.parse(canonical) as AuditEntry;
  return {
    at: e.at,
    category: e.category,
    action: e.action,
    result: e.result,
    actor_type: e.actor.type,
    actor_id: e.actor.id,
    actor_role: e.actor.role,
    actor_department_id: e.actor.departmentId,
    actor_on_behalf_of: e.actor.onBehalfOf,
    department_id: e.departmentId,
    document_id: e.documentId,
    from_state: e.from,
    to_state: e.to,
    details: JSON.stringify(e.details),
  };
}

/** Two templates through the engine: one at legality-review (cloned), one after `lawful` (what the floor writes). */
async function prepare(backend: Backend, postgresUrl: string, docs: number) {
  const db = freshDatabase(backend, postgresUrl, 'floor');
  const engine = await openEngine(db);
  try {
    await engine.directory.seedDemo(BENCH_PASSWORD);
    const before = await template(engine, [['drafter', 'submit']]);
    const after = await template(engine, [['drafter', 'submit'], ['counsel', 'lawful']]);
    const audit = await engine.database.reader.one<Record<string, unknown>>("SELECT seq, canonical, hash FROM audit_entries WHERE document_id = ? AND action = 'lawful'", [after.document.id]);
    const counselId = (await principalOf(engine, 'counsel')).id;
    // In random order, as decisions reach documents (fixtures spread their timers too).
    const clones = shuffled(await cloneDocuments(engine, [before], docs), 6962);
    return { db, clones, shapes: { before, after, audit: audit!, intake: intakeOf(audit!.canonical as string), counselId } satisfies Shapes };
  } finally {
    await engine.close();
  }
}

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

/** The parameters of one transition's writes for clone `c`. */
function writesFor(s: Shapes, c: Cloned, at: string) {
  const doc = s.after.document;
  const openTask = s.after.tasks.find((t) => t.status === 'open')!;
  const newTaskId = newId();
  const pending = newTimersOf(s.after);
  return {
    document: [doc.state, doc.context, doc.title, doc.attributes, at, doc.due_at, doc.due_provisional, c.documentId, s.before.document.version],
    decide: ['lawful', null, s.counselId, null, at, c.openTaskIds[0]],
    task: { ...openTask, id: newTaskId, document_id: c.documentId, created_at: at },
    deadlines: pending.map((d) => ({ ...d, id: newId(), document_id: c.documentId, task_id: d.task_id === null ? null : newTaskId, created_at: at })),
    audit: (seq: number, prevHash: string) => {
      const canonical = (s.audit.canonical as string).replace(s.after.document.id as string, c.documentId).replace(`"seq":${s.audit.seq}`, `"seq":${seq}`);
      const hash = sha256(prevHash + canonical);
      return { seq, canonical, hash };
    },
  };
}

const UPDATE_DOCUMENT = `UPDATE documents SET state = ?, context = ?, title = ?, attributes = ?, updated_at = ?, due_at = ?, due_provisional = ?, version = version + 1
  WHERE id = ? AND version = ?`;
const DECIDE = `UPDATE tasks SET status = 'done', decision = ?, comment = ?, decided_by = ?, on_behalf_of = ?, closed_at = ? WHERE id = ? AND status = 'open'`;
/** The timers the decision wrote: those of the step entered (the left step's stay pending, stale). */
const newTimersOf = (after: Snapshot) => after.deadlines.filter((d) => d.status === 'pending' && d.step_key === after.document.state);
const insertOf = (table: string, row: Record<string, unknown>) => `INSERT INTO ${table} (${Object.keys(row).join(', ')}) VALUES (${Object.keys(row).map(() => '?').join(', ')})`;
const dollars = (sql: string) => {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
};

async function sqliteFloor(opts: FloorOptions, shapes: Shapes, path: string, lists: { one: Cloned[][]; batched: Cloned[][] }) {
  const db = new Sqlite(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  // Checkpoints as the engine's writer has them: in a thread of their own, not in the commits.
  db.pragma(`wal_autocheckpoint = ${BACKSTOP_AUTOCHECKPOINT_PAGES}`);
  const checkpointer = WalCheckpointer.start(path);
  try {
    const sample = writesFor(shapes, lists.one[0][0], new Date().toISOString());
    const st = {
      document: db.prepare(UPDATE_DOCUMENT),
      decide: db.prepare(DECIDE),
      task: db.prepare(insertOf('tasks', sample.task)),
      deadline: sample.deadlines.length ? db.prepare(insertOf('deadlines', sample.deadlines[0])) : undefined,
      audit: db.prepare(insertOf('audit_entries', sample.audit(1, '0'.repeat(64)))),
    };
    let head = db.prepare('SELECT seq, hash FROM audit_head WHERE id = 1').get() as { seq: number; hash: string };
    const apply = (c: Cloned) => {
      const w = writesFor(shapes, c, new Date().toISOString());
      if (st.document.run(...w.document).changes !== 1) throw new Error('floor: document not at the expected version');
      if (st.decide.run(...w.decide).changes !== 1) throw new Error('floor: task not open');
      st.task.run(...Object.values(w.task));
      for (const d of w.deadlines) st.deadline!.run(...Object.values(d));
      const a = w.audit(head.seq + 1, head.hash);
      st.audit.run(...Object.values(a));
      head = { seq: a.seq as number, hash: a.hash };
    };
    const transaction = db.transaction((cs: Cloned[]) => cs.forEach(apply));
    const one: number[] = [];
    for (const list of lists.one) {
      const t0 = performance.now();
      for (const c of list) transaction([c]);
      one.push(list.length / ((performance.now() - t0) / 1000));
    }
    const batched: number[] = [];
    for (const list of lists.batched) {
      const t0 = performance.now();
      for (let i = 0; i < list.length; i += opts.batch) transaction(list.slice(i, i + opts.batch));
      batched.push(list.length / ((performance.now() - t0) / 1000));
    }
    return { one, batched };
  } finally {
    await checkpointer.stop();
    db.close();
  }
}

async function postgresFloor(opts: FloorOptions, shapes: Shapes, schema: string, lists: Cloned[][][]) {
  const pool = new pg.Pool({ connectionString: opts.postgresUrl, max: 20, options: `-c search_path="${schema}"` });
  try {
    const sample = writesFor(shapes, lists[0][0][0], new Date().toISOString());
    const sql = {
      document: dollars(UPDATE_DOCUMENT),
      decide: dollars(DECIDE),
      task: dollars(insertOf('tasks', sample.task)),
      deadline: sample.deadlines.length ? dollars(insertOf('deadlines', sample.deadlines[0])) : '',
      intake: dollars(insertOf('audit_intake', shapes.intake)),
    };
    const apply = async (c: Cloned) => {
      const w = writesFor(shapes, c, new Date().toISOString());
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        if ((await client.query(sql.document, w.document)).rowCount !== 1) throw new Error('floor: document not at the expected version');
        if ((await client.query(sql.decide, w.decide)).rowCount !== 1) throw new Error('floor: task not open');
        await client.query(sql.task, Object.values(w.task));
        for (const d of w.deadlines) await client.query(sql.deadline, Object.values(d));
        // As the engine on PostgreSQL: the entry waits unsequenced in the intake (no lock shared with other decisions).
        await client.query(sql.intake, Object.values({ ...shapes.intake, document_id: c.documentId }));
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    };
    const rates: number[] = [];
    for (const callers of lists) {
      const t0 = performance.now();
      await Promise.all(callers.map(async (list) => {
        for (const c of list) await apply(c);
      }));
      rates.push(callers.flat().length / ((performance.now() - t0) / 1000));
    }
    return rates;
  } finally {
    await pool.end();
  }
}

/** XState alone: restore the stored position (JSON.parse + resolveState), send `lawful`, serialise the context. */
function xstateFloor(opts: FloorOptions, before: Snapshot): number[] {
  const definition = lintChainDefinition(normativeDocumentChain).definition;
  if (!definition) throw new Error('normative-document chain does not lint');
  const chain = compileChain(definition);
  const stored = before.document.context as string;
  const stateKey = before.document.state as string;
  const step = () => {
    const next = chain.next({ stateKey, context: JSON.parse(stored) }, { type: 'lawful', signer: 's0', fields: { ...FIELDS } });
    if (!next || next.stateKey !== 'collective-deliberation') throw new Error(`xstate floor: lawful went to ${next?.stateKey}`);
    return JSON.stringify(next.context).length;
  };
  for (let i = 0; i < 2000; i++) step();
  const rates: number[] = [];
  for (let r = 0; r < opts.runs; r++) {
    const t0 = performance.now();
    for (let i = 0; i < opts.xstateOps; i++) step();
    rates.push(opts.xstateOps / ((performance.now() - t0) / 1000));
  }
  return rates;
}

export async function floorBench(opts: FloorOptions, withPostgres: boolean): Promise<FloorResult> {
  const perKind = opts.runs * opts.perRun;
  log(`floor on sqlite: preparing ${fmt(2 * perKind)} documents at legality-review…`);
  const lite = await prepare('sqlite', opts.postgresUrl, 2 * perKind);
  let sqlite: { one: number[]; batched: number[] };
  try {
    const lists = split(lite.clones, 2 * opts.runs, opts.perRun);
    log(`floor on sqlite: ${opts.runs} runs × ${fmt(opts.perRun)} transitions, 1 per transaction, then ${opts.batch} per transaction (better-sqlite3, WAL, synchronous=FULL)…`);
    sqlite = await sqliteFloor(opts, lite.shapes, lite.db.config.sqlitePath, { one: lists.slice(0, opts.runs), batched: lists.slice(opts.runs) });
  } finally {
    await lite.db.drop();
  }
  log(`floor: XState restore + send + JSON.stringify, ${opts.runs} runs × ${fmt(opts.xstateOps)}…`);
  const xstate = xstateFloor(opts, lite.shapes.before);

  let postgres: number[] | undefined;
  if (withPostgres) {
    log(`floor on postgres: preparing ${fmt(opts.runs * opts.perRunPostgres)} documents…`);
    const post = await prepare('postgres', opts.postgresUrl, opts.runs * opts.perRunPostgres);
    try {
      const per = Math.floor(opts.perRunPostgres / opts.callers);
      const runs = split(post.clones, opts.runs, per * opts.callers).map((run) => split(run, opts.callers, per));
      log(`floor on postgres: ${opts.runs} runs × ${fmt(per * opts.callers)} transitions, ${opts.callers} concurrent callers on a pool of 20, 1 per transaction…`);
      postgres = await postgresFloor(opts, post.shapes, post.db.config.schema!, runs);
    } finally {
      await post.db.drop();
    }
  }
  const after = lite.shapes.after;
  return {
    sqliteOne: runsOf('floor sqlite, 1 transition/transaction', 'transitions/s', sqlite.one),
    sqliteBatched: runsOf(`floor sqlite, ${opts.batch} transitions/transaction`, 'transitions/s', sqlite.batched),
    postgres: postgres && runsOf(`floor postgres, ${opts.callers} callers`, 'transitions/s', postgres),
    xstate: runsOf('floor XState restore + send + stringify', 'ops/s', xstate),
    writes: {
      newDeadlines: newTimersOf(after).length,
    },
  };
}

