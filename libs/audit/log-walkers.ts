import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { threadScript } from '@shenpi/domain';
import { walkRun, type TextRun, type WalkedRun } from './log-walk.js';
import type { WalkJob } from './log-walk.worker.js';
import type { TreeHash } from './merkle.js';

/**
 * Walks verify's runs (walkRun) on every core: a thread per core, each given runs in turn while
 * the caller reads the next ones. Threads start on the first walk and end with close(); with no
 * threads (one core, or a log too short to be worth their start) runs are walked here.
 */
export class LogWalkers {
  private threads: Worker[] | null = null;
  private readonly waiting = new Map<number, { resolve: (w: WalkedRun | null) => void; reject: (err: Error) => void }>();
  private nextId = 0;

  /** Runs a caller may have in flight: two per thread keep each busy while the next is read. */
  readonly inFlight: number;

  constructor(
    private readonly algorithm: TreeHash,
    readonly threadCount = Math.min(4, availableParallelism() > 1 ? availableParallelism() : 0),
  ) {
    this.inFlight = Math.max(1, threadCount * 2);
  }

  walk(run: TextRun, prevHash: string, keepLeaves: boolean, inThreads: boolean): Promise<WalkedRun | null> {
    if (!inThreads || this.threadCount === 0) return Promise.resolve(walkRun(this.algorithm, run, prevHash, keepLeaves));
    const threads = this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      const job: WalkJob = { id, algorithm: this.algorithm, run, prevHash, keepLeaves };
      // The texts move to the thread (no copy); the caller never reads them again.
      threads[id % threads.length].postMessage(job, run.texts.byteLength === run.texts.buffer.byteLength ? [run.texts.buffer as ArrayBuffer] : []);
    });
  }

  async close(): Promise<void> {
    const threads = this.threads;
    this.threads = null;
    if (threads) await Promise.all(threads.map((t) => t.terminate()));
  }

  private start(): Worker[] {
    if (this.threads) return this.threads;
    const [script, options] = threadScript(import.meta.url, 'log-walk.worker');
    this.threads = Array.from({ length: this.threadCount }, () => {
      const thread = new Worker(script, options);
      thread.unref();
      thread.on('message', ({ id, walked }: { id: number; walked: WalkedRun | null }) => {
        const w = this.waiting.get(id);
        this.waiting.delete(id);
        // Structured clone turned the Buffers into plain Uint8Arrays.
        w?.resolve(walked && { roots: walked.roots.map(toBuffer), leaves: walked.leaves && toBuffer(walked.leaves) });
      });
      thread.on('error', (err) => this.fail(err));
      thread.on('exit', (code) => this.fail(new Error(`a verify thread ended (exit code ${code})`)));
      return thread;
    });
    return this.threads;
  }

  /** A thread that failed takes every walk in flight with it; the next walk starts new threads. */
  private fail(err: Error): void {
    const waiting = [...this.waiting.values()];
    this.waiting.clear();
    const threads = this.threads;
    this.threads = null;
    for (const t of threads ?? []) void t.terminate();
    for (const w of waiting) w.reject(err);
  }
}

const toBuffer = (a: Uint8Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
