import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { newId, systemClock, type Principal } from '@shenpi/domain';
import { Engine } from '@shenpi/engine';
import type { DatabaseConfig } from '@shenpi/persistence';
import { CalendarDeadlinePlanner, WorkingCalendar } from '@shenpi/scheduling';
import { shippedChains } from '@shenpi/workflows';

export type Backend = 'sqlite' | 'postgres';

export const BENCH_PASSWORD = 'bench-password-1';
/** The chain every transition stage drives: create with this field, submit, then `lawful` moves legality-review → collective-deliberation. */
export const CHAIN = 'normative-document';
export const FIELDS = { involvesMarketActivity: false };

export const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
export const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

export const calendar = WorkingCalendar.load();
export const planner = new CalendarDeadlinePlanner(calendar);

export interface BenchDatabase {
  backend: Backend;
  config: DatabaseConfig;
  attachmentsDir: string;
  drop(): Promise<void>;
}

/** A fresh database: a SQLite file in a temporary folder, or a schema of its own in PostgreSQL. */
export function freshDatabase(backend: Backend, postgresUrl: string, tag: string): BenchDatabase {
  const dir = mkdtempSync(join(tmpdir(), `shenpi-bench-${tag}-`));
  const attachmentsDir = join(dir, 'attachments');
  if (backend === 'sqlite') {
    return { backend, config: { sqlitePath: join(dir, 'bench.sqlite') }, attachmentsDir, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const schema = `bench_${tag.replace(/\W/g, '_')}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  return {
    backend,
    config: { url: postgresUrl, schema, sqlitePath: '' },
    attachmentsDir,
    drop: async () => {
      rmSync(dir, { recursive: true, force: true });
      const client = new pg.Client({ connectionString: postgresUrl });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

/** The engine as apps/api/main.ts opens it (shipped chains, the working-day planner), without the scheduler. */
export function openEngine(db: BenchDatabase): Promise<Engine> {
  return Engine.open({
    database: db.config,
    clock: systemClock,
    shippedChains,
    planner,
    attachments: { dir: db.attachmentsDir, maxBytes: 1024 * 1024 },
  });
}

export async function principalOf(engine: Engine, username: string): Promise<Principal> {
  const row = await engine.database.reader.one<{ id: string }>('SELECT id FROM users WHERE username = ?', [username]);
  const p = row && (await engine.authentication.principal(row.id));
  if (!p) throw new Error(`no demo user ${username}`);
  return p;
}

type Raw = Record<string, unknown>;

/** One document's rows as stored: what cloning copies. */
export interface Snapshot {
  document: Raw;
  tasks: Raw[];
  deadlines: Raw[];
  /** Its texts (document_contents): the row itself carries none. */
  contents: Raw[];
}

export async function snapshot(engine: Engine, documentId: string): Promise<Snapshot> {
  const r = engine.database.reader;
  const document = await r.one<Raw>('SELECT * FROM documents WHERE id = ?', [documentId]);
  if (!document) throw new Error(`no document ${documentId}`);
  return {
    document,
    tasks: await r.all<Raw>('SELECT * FROM tasks WHERE document_id = ? ORDER BY id', [documentId]),
    deadlines: await r.all<Raw>('SELECT * FROM deadlines WHERE document_id = ? ORDER BY id', [documentId]),
    contents: await r.all<Raw>('SELECT * FROM document_contents WHERE document_id = ? ORDER BY version', [documentId]),
  };
}

/**
 * A normative document driven through the engine: created, then each `[username, action]` in
 * turn (a decision on the user's open task, or an action on the document). Returns its rows.
 */
export async function template(engine: Engine, steps: [string, string][]): Promise<Snapshot> {
  const drafter = await principalOf(engine, 'drafter');
  const doc = await engine.createDocument.execute({ principal: drafter, chain: CHAIN, title: '关于规范行政执法裁量权基准的若干规定（征求意见稿）', year: 2026, departmentId: 'city-sti', fields: FIELDS, content: TEMPLATE_CONTENT });
  for (const [username, action] of steps) {
    const p = await principalOf(engine, username);
    const task = (await engine.database.reader.all<{ id: string }>("SELECT id FROM tasks WHERE document_id = ? AND status = 'open'", [doc.id]))[0];
    await engine.transition.execute({ documentId: doc.id, action, principal: p, taskId: action === 'submit' ? undefined : task?.id });
  }
  return snapshot(engine, doc.id);
}

const TEMPLATE_CONTENT = [
  '一、制定依据',
  '根据《中华人民共和国行政处罚法》《优化营商环境条例》等法律法规，结合本市实际，制定本规定。',
  '二、适用范围',
  '本规定适用于本市各级行政执法机关行使行政处罚裁量权的活动。',
  '三、基本原则',
  '行使裁量权应当坚持合法、合理、公平公正、程序正当、过罚相当、处罚与教育相结合的原则。',
].join('\n');

export interface Cloned {
  documentId: string;
  /** The clone's open tasks, oldest first. */
  openTaskIds: string[];
}

const PER_INSERT_ROWS = 400;

/** SQLite's row lists its tasks, timers and transition entries (by trigger, as they are inserted): a copy starts with none. */
const lists = (document: Raw): Raw => Object.fromEntries(['task_ids', 'timer_ids', 'transition_seqs'].filter((c) => c in document).map((c) => [c, '[]']));

/** Multi-row INSERTs of `rows` (objects with the same keys) into `table`, in the caller's transaction. */
async function insertRows(run: (sql: string, params: unknown[]) => Promise<unknown>, table: string, rows: Raw[]): Promise<void> {
  if (!rows.length) return;
  const columns = Object.keys(rows[0]);
  for (let i = 0; i < rows.length; i += PER_INSERT_ROWS) {
    const slice = rows.slice(i, i + PER_INSERT_ROWS);
    const one = `(${columns.map(() => '?').join(', ')})`;
    await run(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${slice.map(() => one).join(', ')}`, slice.flatMap((r) => columns.map((c) => r[c])));
  }
}

/**
 * `n` copies of the documents in `templates` (taken in turn), inserted directly with SQL in large
 * transactions: each copy gets fresh time-ordered ids for itself, its tasks and its deadline rows,
 * everything else as the engine wrote it for the template. No audit entries are written.
 */
export async function cloneDocuments(engine: Engine, templates: Snapshot[], n: number, onProgress?: (done: number) => void): Promise<Cloned[]> {
  const out: Cloned[] = [];
  const perTransaction = 2000;
  for (let done = 0; done < n; ) {
    const count = Math.min(perTransaction, n - done);
    const documents: Raw[] = [];
    const tasks: Raw[] = [];
    const deadlines: Raw[] = [];
    const contents: Raw[] = [];
    for (let k = 0; k < count; k++) {
      const t = templates[(done + k) % templates.length];
      const id = newId();
      documents.push({ ...t.document, id, title: `${t.document.title as string} #${done + k}`, ...lists(t.document) });
      for (const c of t.contents) contents.push({ ...c, document_id: id });
      const taskIds = new Map<unknown, string>();
      const open: string[] = [];
      for (const task of t.tasks) {
        const taskId = newId();
        taskIds.set(task.id, taskId);
        tasks.push({ ...task, id: taskId, document_id: id });
        if (task.status === 'open') open.push(taskId);
      }
      // Documents enter a step at different times: their timers spread over 90 days, as a live
      // database's do, so cancelling one touches an index page of its own, not its neighbour's.
      const shift = (((done + k) * 37 * 60_000) % (90 * 86_400_000));
      for (const d of t.deadlines) {
        deadlines.push({ ...d, id: newId(), document_id: id, task_id: d.task_id === null ? null : (taskIds.get(d.task_id) ?? null), fire_at: new Date(Date.parse(d.fire_at as string) + shift).toISOString() });
      }
      out.push({ documentId: id, openTaskIds: open });
    }
    await engine.writer.run(async (r) => {
      const run = (sql: string, params: unknown[]) => r.sql.run(sql, params);
      await insertRows(run, 'documents', documents);
      await insertRows(run, 'tasks', tasks);
      await insertRows(run, 'deadlines', deadlines);
      await insertRows(run, 'document_contents', contents);
    });
    done += count;
    onProgress?.(done);
  }
  if (engine.database.kind === 'postgres') await engine.database.reader.run('ANALYZE');
  return out;
}

/** A seeded PRNG in [0, 1) (mulberry32): the same sequence on every run. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `items` in a seeded random order: decisions reach documents in no order their ids give. */
export function shuffled<T>(items: T[], seed: number): T[] {
  const next = random(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Splits `items` into `k` lists of `per` items each, in order. */
export function split<T>(items: T[], k: number, per: number): T[][] {
  if (items.length < k * per) throw new Error(`need ${k * per} items, have ${items.length}`);
  return Array.from({ length: k }, (_, i) => items.slice(i * per, (i + 1) * per));
}

/** A statement's query plan as text lines: EXPLAIN QUERY PLAN on SQLite (indented), EXPLAIN ANALYZE on PostgreSQL. */
export async function explain(engine: Engine, text: string, params: unknown[]): Promise<string[]> {
  if (engine.database.kind === 'sqlite') {
    const rows = await engine.database.reader.all<{ id: number; parent: number; detail: string }>(`EXPLAIN QUERY PLAN ${text}`, params);
    const depth = new Map<number, number>([[0, 0]]);
    return rows.map((r) => {
      const d = (depth.get(r.parent) ?? 0) + 1;
      depth.set(r.id, d);
      return `${'  '.repeat(d - 1)}${r.detail}`;
    });
  }
  const rows = await engine.database.reader.all<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${text}`, params);
  return rows.map((r) => r['QUERY PLAN']);
}
