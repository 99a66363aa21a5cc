import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Sqlite from 'better-sqlite3';
import { Engine as BpmnEngine } from 'bpmn-engine';
import { fmt, log } from './fixtures.js';
import { runsOf, summarize, type Runs } from './stats.js';

/**
 * The peer: the npm package bpmn-engine running the normative-document chain's reviews as three
 * user tasks in sequence (legality review, collective deliberation, sign for issue), persisted
 * the way a service built on it would: after every step the execution's state
 * (`engine.getState()`) is written as JSON to a better-sqlite3 row (WAL, synchronous=FULL, one
 * transaction per approval), and before the next step the engine is recovered from that row
 * (`new Engine().recover(state)`, `resume()`) and the waiting user task is signalled.
 * One caller, one approval after another: better-sqlite3 is synchronous, nothing batches commits.
 */
const BPMN_VERSION = (JSON.parse(readFileSync(new URL('../../node_modules/bpmn-engine/package.json', import.meta.url), 'utf8')) as { version: string }).version;
const TASKS = ['legalityReview', 'collectiveDeliberation', 'signForIssue'];

const SOURCE = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="normativeDocument" targetNamespace="http://shenpi.bench/bpmn">
  <process id="normativeDocumentReview" isExecutable="true">
    <startEvent id="submitted" />
    <sequenceFlow id="f1" sourceRef="submitted" targetRef="legalityReview" />
    <userTask id="legalityReview" name="合法性审查" />
    <sequenceFlow id="f2" sourceRef="legalityReview" targetRef="collectiveDeliberation" />
    <userTask id="collectiveDeliberation" name="集体审议" />
    <sequenceFlow id="f3" sourceRef="collectiveDeliberation" targetRef="signForIssue" />
    <userTask id="signForIssue" name="签发" />
    <sequenceFlow id="f4" sourceRef="signForIssue" targetRef="issued" />
    <endEvent id="issued" />
  </process>
</definitions>`;

export interface PeerOptions {
  runs: number;
  /** Approvals per run (a third of them finish their instance). */
  perRun: number;
}

export interface PeerResult {
  approvals: Runs;
  p50: Runs;
  p99: Runs;
  /** Size of one saved state, bytes (JSON). */
  stateBytes: number;
}

/** Runs `engine` until a user task other than `signalled` waits (its id), or the process ends (null). */
function untilNextWait(engine: BpmnEngine, listener: EventEmitter, signalled: string | null): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const onWait = (api: { id: string }) => {
      if (api.id === signalled) return;
      done();
      resolve(api.id);
    };
    const onEnd = () => {
      done();
      resolve(null);
    };
    const onError = (err: Error) => {
      done();
      reject(err);
    };
    const done = () => {
      listener.off('activity.wait', onWait);
      engine.off('end', onEnd);
      engine.off('error', onError);
    };
    listener.on('activity.wait', onWait);
    engine.once('end', onEnd);
    engine.once('error', onError);
  });
}

export async function peerBench(opts: PeerOptions): Promise<PeerResult> {
  const dir = mkdtempSync(join(tmpdir(), 'shenpi-bench-peer-'));
  const db = new Sqlite(join(dir, 'peer.sqlite'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('CREATE TABLE executions (id TEXT PRIMARY KEY, waiting TEXT NULL, state TEXT NOT NULL, updated_at TEXT NOT NULL)');
    const insert = db.prepare('INSERT INTO executions (id, waiting, state, updated_at) VALUES (?, ?, ?, ?)');
    const read = db.prepare('SELECT waiting, state FROM executions WHERE id = ?');
    const save = db.prepare('UPDATE executions SET waiting = ?, state = ?, updated_at = ? WHERE id = ?');
    let stateBytes = 0;

    /** A new instance, run to its first user task and saved (not measured). */
    const start = async (id: string) => {
      const engine = new BpmnEngine({ name: id, source: SOURCE });
      const listener = new EventEmitter();
      const waiting = untilNextWait(engine, listener, null);
      await engine.execute({ listener });
      const task = await waiting;
      const state = JSON.stringify(await engine.getState());
      await engine.stop();
      insert.run(id, task, state, new Date().toISOString());
    };

    /** One approval: recover from the row, resume, signal the waiting task, save the state the execution reaches. */
    const approve = async (id: string) => {
      const row = read.get(id) as { waiting: string | null; state: string };
      if (!row.waiting) throw new Error(`peer: ${id} has nothing waiting`);
      const engine = new BpmnEngine({ name: id }).recover(JSON.parse(row.state));
      const listener = new EventEmitter();
      const next = untilNextWait(engine, listener, row.waiting);
      const execution = await engine.resume({ listener });
      execution.signal({ id: row.waiting });
      const task = await next;
      const state = JSON.stringify(await engine.getState());
      stateBytes = Math.max(stateBytes, Buffer.byteLength(state));
      if (task) await engine.stop();
      save.run(task, state, new Date().toISOString(), id);
      return task;
    };

    // Instances enough for every approval of every run, each taken through its three tasks.
    const instances = Math.ceil((opts.runs * opts.perRun + 30) / TASKS.length) + 1;
    log(`peer (bpmn-engine ${BPMN_VERSION}): starting ${fmt(instances)} instances…`);
    const ids = Array.from({ length: instances }, (_, i) => `doc-${i}`);
    for (const id of ids) await start(id);
    // Approvals in order: every instance's first task, then every second, …; an instance ends after its third.
    const order = TASKS.flatMap(() => ids);
    let cursor = 0;
    const runOf = async (n: number) => {
      const latencies: number[] = [];
      const t0 = performance.now();
      for (let k = 0; k < n; k++) {
        const s = performance.now();
        await approve(order[cursor++]);
        latencies.push(performance.now() - s);
      }
      const f = summarize('', 'ms', latencies);
      return { rate: n / ((performance.now() - t0) / 1000), p50: f.p50, p99: f.p99 };
    };
    await runOf(30);
    log(`peer: ${opts.runs} runs × ${fmt(opts.perRun)} approvals (recover, resume, signal, getState, save)…`);
    const results = [];
    for (let r = 0; r < opts.runs; r++) results.push(await runOf(opts.perRun));
    // Every instance signalled three times has ended.
    const ended = (db.prepare('SELECT COUNT(*) AS n FROM executions WHERE waiting IS NULL').get() as { n: number }).n;
    const expectedEnded = Math.floor(Math.max(0, cursor - 2 * instances));
    if (ended !== expectedEnded) throw new Error(`peer: ${ended} instances ended, expected ${expectedEnded}`);
    return {
      approvals: runsOf('bpmn-engine approvals', 'approvals/s', results.map((r) => r.rate)),
      p50: runsOf('bpmn-engine p50', 'ms', results.map((r) => r.p50)),
      p99: runsOf('bpmn-engine p99', 'ms', results.map((r) => r.p99)),
      stateBytes,
    };
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
