import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * Copies the SQLite write-ahead log back into the database file from a thread of its own, so a
 * commit never waits for it. Left to SQLite, the connection whose commit crosses
 * `wal_autocheckpoint` pages runs the checkpoint inside that COMMIT: it writes the pages to the
 * database file and fsyncs it on the event loop, and every request waits (on the bench, COMMIT
 * took 18 ms on average with it and 10 ms without). The writer keeps a far higher automatic
 * threshold as a backstop in case this thread falls behind or dies.
 *
 * PASSIVE never blocks the writer or readers. A checkpoint that copied every frame before the
 * writer's next transaction began lets that transaction start the log over from its beginning;
 * under unbroken load that moment may not come, and the writer's backstop checkpoint (little left
 * to copy by then) restarts the log, which bounds the file at about that many pages.
 */
export const CHECKPOINT_EVERY_MS = 200;
/** The writer's own checkpoint threshold (pages of 4 KiB): reached only if the thread lags. */
export const BACKSTOP_AUTOCHECKPOINT_PAGES = 10_000;

// Plain JavaScript evaluated in the worker: the same file under tsx, jest and the build.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Sqlite = require(workerData.driver);
const db = new Sqlite(workerData.path, { timeout: 5000 });
db.pragma('synchronous = FULL');
const checkpoint = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (err) {
    // SQLITE_BUSY (a checkpoint of another connection) or a locked file: the next tick retries.
  }
};
const timer = setInterval(checkpoint, workerData.everyMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.postMessage('closed');
});
`;

export class WalCheckpointer {
  private readonly exited: Promise<void>;
  private running = true;

  private constructor(private readonly worker: Worker) {
    this.exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    void this.exited.then(() => (this.running = false));
  }

  static start(path: string): WalCheckpointer {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path, driver, everyMs: CHECKPOINT_EVERY_MS } });
    // An idle checkpointer must not keep the process alive.
    worker.unref();
    worker.on('error', (err) => process.stderr.write(`WAL checkpointer stopped (the writer's backstop checkpoints instead): ${err.message}\n`));
    return new WalCheckpointer(worker);
  }

  /** Closes the thread's connection before the writer's, so the writer's close can remove the log. */
  async stop(): Promise<void> {
    // A thread that already died (its error was reported) has nothing to close.
    if (!this.running) return;
    const closed = new Promise<void>((resolve) => this.worker.once('message', () => resolve()));
    this.worker.postMessage('close');
    await Promise.race([closed, this.exited]);
    await this.worker.terminate();
  }
}
