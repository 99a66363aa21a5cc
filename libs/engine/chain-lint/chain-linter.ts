import { Worker } from 'node:worker_threads';
import type { ChainDefinition, LintResult } from '@shenpi/chains';
import { DomainError, ErrorCode, threadScript } from '@shenpi/domain';
import type { LintDirectoryData } from './lint-directory.js';
import type { LintJob } from './lint-worker.js';

/** How long one lint may run, and how much heap its thread may use, before it is stopped. */
export interface LintBudget {
  timeMs: number;
  memoryMb: number;
}

export const DEFAULT_LINT_BUDGET: LintBudget = { timeMs: 10_000, memoryMb: 256 };

/** LINT_TIME_BUDGET_MS and LINT_MEMORY_BUDGET_MB (README), else the defaults. */
/**
 * The least memory a lint thread may be given: it needs about 11 MB to start (Node 24), and a thread
 * that runs out while starting takes the whole process down with it, where one that runs out while
 * linting is stopped alone (422 LINT_BUDGET_EXCEEDED).
 */
export const MIN_LINT_MEMORY_MB = 16;

export function lintBudgetFromEnv(env: NodeJS.ProcessEnv = process.env): LintBudget {
  const read = (name: string, fallback: number, least: number) => {
    const value = Number(env[name] || fallback);
    if (!Number.isInteger(value) || value < least) throw new Error(`${name} must be a whole number ≥ ${least}, not "${env[name]}"`);
    return value;
  };
  return { timeMs: read('LINT_TIME_BUDGET_MS', DEFAULT_LINT_BUDGET.timeMs, 1), memoryMb: read('LINT_MEMORY_BUDGET_MB', DEFAULT_LINT_BUDGET.memoryMb, MIN_LINT_MEMORY_MB) };
}

interface Pending extends LintJob {
  resolve: (result: LintResult) => void;
  reject: (err: Error) => void;
}

/**
 * Lints administrators' chain definitions on a thread of their own, one at a time: a definition
 * that is slow to walk holds up neither the event loop (health, decisions) nor the writer queue.
 * Past its time or memory budget the thread is stopped and the caller gets 422
 * LINT_BUDGET_EXCEEDED; the next definition gets a fresh thread. The thread is started on the
 * first lint and does not keep the process alive.
 */
export class ChainLinter {
  private worker?: Worker;
  private ready?: Promise<Worker>;
  private readonly queue: Pending[] = [];
  private running = false;

  constructor(readonly budget: LintBudget = DEFAULT_LINT_BUDGET) {}

  lint(raw: unknown, directory?: LintDirectoryData): Promise<LintResult & { definition?: ChainDefinition }> {
    return new Promise((resolve, reject) => {
      this.queue.push({ raw, directory, resolve, reject });
      void this.next();
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = this.ready = undefined;
    await worker?.terminate();
  }

  private async next(): Promise<void> {
    if (this.running || !this.queue.length) return;
    this.running = true;
    const job = this.queue.shift()!;
    try {
      job.resolve(await this.run(job));
    } catch (err) {
      job.reject(err as Error);
    } finally {
      this.running = false;
      void this.next();
    }
  }

  /** One job on the thread; the clock starts once the thread has loaded (its start-up is not the definition's cost). */
  private async run({ raw, directory }: LintJob): Promise<LintResult> {
    let worker: Worker;
    try {
      worker = await (this.ready ??= this.start());
    } catch (err) {
      this.worker = this.ready = undefined;
      throw this.exceeded(err) ?? err;
    }
    return new Promise<LintResult>((resolve, reject) => {
      const done = (fn: () => void) => {
        clearTimeout(timer);
        worker.off('message', onMessage).off('error', onError).off('exit', onExit);
        fn();
      };
      const stop = (err: Error) => {
        // A thread that ran over is not reused: the next job starts a fresh one.
        if (this.worker === worker) this.worker = this.ready = undefined;
        void worker.terminate();
        done(() => reject(err));
      };
      const onMessage = (result: LintResult) => done(() => resolve(result));
      const onError = (err: Error) => stop(this.exceeded(err) ?? err);
      const onExit = () => stop(new Error('the chain lint thread stopped'));
      const timer = setTimeout(
        () => stop(new DomainError(ErrorCode.LINT_BUDGET_EXCEEDED, `linting the definition took longer than its budget of ${this.budget.timeMs} ms`, { budget: 'time', limitMs: this.budget.timeMs })),
        this.budget.timeMs,
      );
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
      worker.postMessage({ raw, directory } satisfies LintJob);
    });
  }

  private exceeded(err: unknown): DomainError | undefined {
    if ((err as { code?: string })?.code !== 'ERR_WORKER_OUT_OF_MEMORY') return undefined;
    return new DomainError(ErrorCode.LINT_BUDGET_EXCEEDED, `linting the definition needed more memory than its budget of ${this.budget.memoryMb} MB`, { budget: 'memory', limitMb: this.budget.memoryMb });
  }

  private start(): Promise<Worker> {
    const [script, options] = threadScript(import.meta.url, 'lint-worker');
    const worker = new Worker(script, { ...options, resourceLimits: { maxOldGenerationSizeMb: this.budget.memoryMb } });
    worker.unref();
    this.worker = worker;
    return new Promise((resolve, reject) => {
      worker.once('message', () => {
        worker.off('error', reject);
        resolve(worker);
      });
      worker.once('error', reject);
    });
  }
}
