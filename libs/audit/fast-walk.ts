import type { Repositories, TreeHeadRow } from '@shenpi/persistence';
import { GENESIS } from './audit-entry.js';
import type { Checkpoint } from './checkpoint.js';
import type { TextRun, WalkedRun } from './log-walk.js';
import type { LogWalkers } from './log-walkers.js';
import { CompactRange, type TreeHasher } from './merkle.js';

/** Where a walk of the log stands: entries 1..checked hold, chained up to prevHash, `tree` over them. */
export interface WalkState {
  checked: number;
  prevHash: string;
  tree: CompactRange;
  /** Signed tree heads held against the tree so far. */
  treeHeads: number;
}

/** Entries per run: a power of two, so a whole run is one subtree of the log's Merkle tree. */
export const RUN = 2048;

export interface FastWalkOptions {
  /** The last entry to walk (the head verify read first). */
  lastSeq: number;
  /** Signed checkpoints by the seq they pin, each with whether a trusted key signed it. */
  pinned: Map<number, { checkpoint: Checkpoint; trusted: boolean }>;
  /** Whether a tree head's signature is a trusted key's. */
  headTrusted: (head: TreeHeadRow) => boolean;
  inThreads: boolean;
  onProgress?: (checked: number) => void;
}

interface ReadRun {
  run: TextRun;
  heads: TreeHeadRow[];
  walked: Promise<WalkedRun | null>;
}

/**
 * Verify's fast walk: the log read a run at a time in one statement each (textRun), each run
 * walked (walkRun) in a thread of LogWalkers while the next runs are read, the runs' subtrees
 * joined in order and held against each signed tree head and checkpoint on the way. It returns
 * where it stopped: at the end of the log when everything held; otherwise before the first run
 * that did not, which the careful walk walks again to name what is wrong.
 */
export async function fastWalk(repos: Repositories, walkers: LogWalkers, hasher: TreeHasher, opts: FastWalkOptions): Promise<WalkState> {
  let state: WalkState = { checked: 0, prevHash: GENESIS, tree: new CompactRange(hasher), treeHeads: 0 };
  const queue: ReadRun[] = [];
  let readThrough = 0;
  let readPrev = GENESIS;
  let readable = true;
  while (state.checked < opts.lastSeq) {
    while (readable && queue.length < walkers.inFlight && readThrough < opts.lastSeq) {
      const after = readThrough;
      const last = Math.min(after + RUN, opts.lastSeq);
      const run = await repos.audit.textRun(after, last);
      if (!run || !pinsHold(run, opts.pinned)) {
        readable = false;
        break;
      }
      const heads = await repos.tree.heads(after + 1, last, RUN);
      // A head inside the run is held against the tree leaf by leaf; one at its end against the subtrees.
      const keepLeaves = heads.some((h) => h.treeSize < last);
      // A thread that failed leaves its run to the careful walk, like a run that did not hold.
      const walked = walkers.walk(run, readPrev, keepLeaves, opts.inThreads).catch(() => null);
      readPrev = run.hashes.slice(-64);
      queue.push({ run, heads, walked });
      readThrough = last;
    }
    const next = queue.shift();
    if (!next) return state;
    const walked = await next.walked;
    const joined = walked && join(state, next, walked, opts.headTrusted);
    if (!joined) return state;
    state = joined;
    opts.onProgress?.(state.checked);
  }
  return state;
}

/** The checkpoints that pin entries of the run name their stored hashes, signed by trusted keys. */
function pinsHold(run: TextRun, pinned: FastWalkOptions['pinned']): boolean {
  if (!pinned.size) return true;
  for (let seq = run.firstSeq; seq < run.firstSeq + run.count; seq++) {
    const pin = pinned.get(seq);
    if (!pin) continue;
    const at = (seq - run.firstSeq) * 64;
    if (!pin.trusted || run.hashes.slice(at, at + 64) !== pin.checkpoint.hash) return false;
  }
  return true;
}

/** The state after a run that held, its heads held against the tree; null when one is not. */
function join(state: WalkState, read: ReadRun, walked: WalkedRun, headTrusted: (head: TreeHeadRow) => boolean): WalkState | null {
  const { run, heads } = read;
  const tree = state.tree.clone();
  const bySize = new Map(heads.map((h) => [h.treeSize, h]));
  let treeHeads = state.treeHeads;
  const holds = (size: number) => {
    const head = bySize.get(size);
    if (!head) return true;
    treeHeads++;
    return headTrusted(head) && tree.root().toString('hex') === head.rootHash;
  };
  if (walked.leaves) {
    for (let i = 0; i < run.count; i++) {
      tree.append(walked.leaves.subarray(i * 32, i * 32 + 32));
      if (!holds(run.firstSeq + i)) return null;
    }
  } else {
    // The roots are the run's perfect subtrees, largest first: the ones in its count's binary form.
    let left = run.count;
    for (const root of walked.roots) {
      if (left <= 0) return null;
      const size = 2 ** Math.floor(Math.log2(left));
      tree.append(root, size);
      left -= size;
    }
    if (left !== 0 || !holds(run.firstSeq + run.count - 1)) return null;
  }
  return { checked: run.firstSeq + run.count - 1, prevHash: run.hashes.slice(-64), tree, treeHeads };
}
