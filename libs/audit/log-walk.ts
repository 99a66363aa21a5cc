import { isUtf8 } from 'node:buffer';
import { linkedHashOf, textSeqOf } from './audit-entry.js';
import { hashOnce, type TreeHash } from './merkle.js';

/**
 * A run of consecutive entries as verify reads them in one statement: their texts as UTF-8, one
 * newline between two (a canonical text never holds one: JSON escapes it), and their stored hashes
 * as one string of 64 hex digits each.
 */
export interface TextRun {
  /** The seq of the run's first entry. */
  firstSeq: number;
  count: number;
  texts: Uint8Array;
  hashes: string;
}

/**
 * What walking a run found when it held: the perfect subtrees its leaves make, largest first (one
 * root for a run of a power of two entries that starts where such a subtree starts), and the
 * leaves themselves when asked for (to check a signed tree head that ends inside the run).
 */
export interface WalkedRun {
  roots: Buffer[];
  leaves?: Buffer;
}

const NEWLINE = 0x0a;
/**
 * A text's last 200 bytes hold its link and its seq (after them come `result`, `to` and `v`): read
 * there as the careful walk reads them in the whole text (the last occurrence of each key is in the
 * tail, or in neither). A text whose tail is longer fails here and is judged by the careful walk.
 */
const TAIL = 200;

/**
 * Verify's fast walk over one run, chained on from `prevHash`: each text gives itself its seq and
 * links to the hash before it, each stored hash is H(previous hash ‖ text), and the leaves are
 * H(0x00 ‖ text), folded into subtrees. Null as soon as anything differs or looks unusual (a text
 * too short to hold its tail): the careful walk (AuditLog.verify) then walks the run again and
 * names what is wrong, so this one only has to be sound when it says the run holds. It runs in
 * worker threads, where it sees bytes and strings only.
 */
export function walkRun(algorithm: TreeHash, run: TextRun, prevHash: string, keepLeaves = false): WalkedRun | null {
  const texts = Buffer.from(run.texts.buffer, run.texts.byteOffset, run.texts.byteLength);
  // Bytes that are not UTF-8 read differently as a string (the careful walk's): left to it.
  if (run.hashes.length !== run.count * 64 || prevHash.length !== 64 || !isUtf8(texts)) return null;
  // [1, 65): the previous hash, [64]: the leaf prefix 0x00, [65, …): the text (see EntryDigests).
  let scratch = Buffer.alloc(1 << 12);
  const pair = Buffer.alloc(65);
  pair[0] = 0x01;
  const stack: { size: number; hash: string }[] = [];
  const leaves = keepLeaves ? Buffer.alloc(run.count * 32) : undefined;
  let start = 0;
  for (let i = 0; i < run.count; i++) {
    const last = i === run.count - 1;
    const end = last ? texts.length : texts.indexOf(NEWLINE, start);
    if (end < start || (last && texts.indexOf(NEWLINE, start) >= 0)) return null;
    const length = end - start;
    const tail = texts.toString('latin1', Math.max(start, end - TAIL), end);
    if (linkedHashOf(tail) !== prevHash || textSeqOf(tail) !== run.firstSeq + i) return null;
    if (scratch.length < 65 + length) scratch = Buffer.alloc(2 * (65 + length));
    texts.copy(scratch, 65, start, end);
    scratch[64] = 0x00;
    let leaf = hashOnce(algorithm, scratch.subarray(64, 65 + length), 'latin1');
    scratch.write(prevHash, 1, 'latin1');
    const hash = hashOnce(algorithm, scratch.subarray(1, 65 + length), 'hex');
    if (hash !== run.hashes.slice(i * 64, i * 64 + 64)) return null;
    leaves?.write(leaf, i * 32, 'latin1');
    // Equal neighbours merge, as CompactRange does, on 32-character latin1 strings (cheaper than buffers).
    let size = 1;
    while (stack.length && stack[stack.length - 1].size === size) {
      pair.write(stack.pop()!.hash, 1, 'latin1');
      pair.write(leaf, 33, 'latin1');
      leaf = hashOnce(algorithm, pair, 'latin1');
      size *= 2;
    }
    stack.push({ size, hash: leaf });
    prevHash = hash;
    start = end + 1;
  }
  return { roots: stack.map((s) => Buffer.from(s.hash, 'latin1')), leaves };
}
