import { parentPort } from 'node:worker_threads';
import { walkRun, type TextRun } from './log-walk.js';
import type { TreeHash } from './merkle.js';

/** One run for a walker thread (LogWalkers posts them, and gets the answer back under `id`). */
export interface WalkJob {
  id: number;
  algorithm: TreeHash;
  run: TextRun;
  prevHash: string;
  keepLeaves: boolean;
}

parentPort!.on('message', ({ id, algorithm, run, prevHash, keepLeaves }: WalkJob) => {
  parentPort!.postMessage({ id, walked: walkRun(algorithm, run, prevHash, keepLeaves) });
});
