import { canonicalOf, hashOf, type AuditEntry } from './audit-entry.js';
import { walkRun, type TextRun } from './log-walk.js';
import { LogWalkers } from './log-walkers.js';
import { CompactRange, TreeHasher, type TreeHash } from './merkle.js';

/** `count` chained entries from seq `firstSeq` on, after `prevHash`, as a run and as texts. */
function entries(algorithm: TreeHash, firstSeq: number, count: number, prevHash = '0'.repeat(64)): { run: TextRun; texts: string[]; prevHash: string } {
  const texts: string[] = [];
  const hashes: string[] = [];
  let prev = prevHash;
  for (let seq = firstSeq; seq < firstSeq + count; seq++) {
    const unsigned: Omit<AuditEntry, 'hash'> = {
      v: 1,
      seq,
      at: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(),
      category: 'transition',
      action: 'approve',
      result: 'success',
      actor: { type: 'user', id: `user-${seq % 7}`, role: 'legal-counsel', departmentId: 'city-sti', onBehalfOf: null },
      departmentId: 'city-sti',
      documentId: `0191e4a0-0000-7000-8000-${String(seq).padStart(12, '0')}`,
      from: 'legal-review',
      to: 'party-group-review',
      // A details key named like the link, and text that is not Latin-1.
      details: { comment: `第${seq}号：请补充“存在的不足和原因”`, nested: { prevHash: 'f'.repeat(64), seq: 1 } },
      prevHash: prev,
    };
    const canonical = canonicalOf(unsigned);
    prev = hashOf(prev, canonical, algorithm);
    texts.push(canonical);
    hashes.push(prev);
  }
  return { run: { firstSeq, count, texts: Buffer.from(texts.join('\n')), hashes: hashes.join('') }, texts, prevHash };
}

/** The tree over the texts' leaves, as verify grows it one leaf at a time. */
function leafByLeaf(algorithm: TreeHash, texts: string[]): CompactRange {
  const hasher = new TreeHasher(algorithm);
  const tree = new CompactRange(hasher);
  for (const t of texts) tree.append(hasher.leaf(t));
  return tree;
}

/** The run's subtrees appended to `tree` as verify's fast walk does (largest first). */
function appendRoots(tree: CompactRange, roots: Buffer[], count: number): void {
  for (const root of roots) {
    const size = 2 ** Math.floor(Math.log2(count));
    tree.append(root, size);
    count -= size;
  }
  expect(count).toBe(0);
}

describe("verify's fast walk over a run of entries", () => {
  it.each<TreeHash>(['sha256', 'sm3'])('recomputes the chain and the subtrees of the Merkle tree (%s)', (algorithm) => {
    const { run, texts, prevHash } = entries(algorithm, 1, 13);
    const walked = walkRun(algorithm, run, prevHash, true)!;
    expect(walked).not.toBeNull();
    const hasher = new TreeHasher(algorithm);
    expect(walked.leaves).toEqual(Buffer.concat(texts.map((t) => hasher.leaf(t))));
    // 13 = 8 + 4 + 1: three perfect subtrees, largest first.
    expect(walked.roots.map((r) => r.length)).toEqual([32, 32, 32]);
    expect(walked.roots[0]).toEqual(hasher.root(texts.slice(0, 8).map((t) => hasher.leaf(t))));
    const tree = new CompactRange(hasher);
    appendRoots(tree, walked.roots, 13);
    expect(tree.root()).toEqual(leafByLeaf(algorithm, texts).root());
  });

  it('joins runs that start where a subtree starts into the tree of the whole log', () => {
    const first = entries('sha256', 1, 16);
    const second = entries('sha256', 17, 16, first.run.hashes.slice(-64));
    const third = entries('sha256', 33, 5, second.run.hashes.slice(-64));
    const tree = new CompactRange(new TreeHasher('sha256'));
    for (const { run, prevHash } of [first, second, third]) appendRoots(tree, walkRun('sha256', run, prevHash)!.roots, run.count);
    expect(tree.size).toBe(37);
    expect(tree.root()).toEqual(leafByLeaf('sha256', [...first.texts, ...second.texts, ...third.texts]).root());
    // A subtree appended where it cannot start is refused (it would make another tree).
    expect(() => new CompactRange(new TreeHasher('sha256')).append(tree.root(), 3)).toThrow(/cannot follow/);
    const odd = new CompactRange(new TreeHasher('sha256'));
    odd.append(tree.root());
    expect(() => odd.append(tree.root(), 2)).toThrow(/cannot follow/);
  });

  const bytes = (run: TextRun) => Buffer.from(run.texts);
  const cases: [string, (e: ReturnType<typeof entries>) => [TextRun, string]][] = [
    ['a byte of a text changed', ({ run, prevHash }) => {
      const texts = bytes(run);
      texts[texts.indexOf('"at":"2') + 6] = '1'.charCodeAt(0);
      return [{ ...run, texts }, prevHash];
    }],
    ['a stored hash changed', ({ run, prevHash }) => [{ ...run, hashes: `${run.hashes.slice(0, 64 * 3)}${'0'.repeat(64)}${run.hashes.slice(64 * 4)}` }, prevHash]],
    ['another hash to chain on from', ({ run }) => [run, 'a'.repeat(64)]],
    ['the run placed one seq later than its texts say', ({ run, prevHash }) => [{ ...run, firstSeq: run.firstSeq + 1 }, prevHash]],
    ['one entry fewer than its texts', ({ run, prevHash }) => [{ ...run, count: run.count - 1, hashes: run.hashes.slice(0, -64) }, prevHash]],
    ['a newline after the last text', ({ run, prevHash }) => [{ ...run, texts: Buffer.concat([bytes(run), Buffer.from('\n')]) }, prevHash]],
    ['two texts swapped (hashes in their old order)', ({ texts, run, prevHash }) => [{ ...run, texts: Buffer.from([texts[1], texts[0], ...texts.slice(2)].join('\n')) }, prevHash]],
    ['a hash that is not 64 hex digits', ({ run, prevHash }) => [{ ...run, hashes: run.hashes.slice(0, -1) }, prevHash]],
  ];
  it.each(cases)('says nothing holds after %s', (_, spoil) => {
    const e = entries('sha256', 1, 9);
    expect(walkRun('sha256', e.run, e.prevHash)).not.toBeNull();
    const [run, prevHash] = spoil(e);
    expect(walkRun('sha256', run, prevHash)).toBeNull();
  });

  it('walks in threads what it walks here, and moves the texts to them', async () => {
    const walkers = new LogWalkers('sha256', 2);
    try {
      const first = entries('sha256', 1, 64);
      const second = entries('sha256', 65, 40, first.run.hashes.slice(-64));
      const here = [walkRun('sha256', first.run, first.prevHash), walkRun('sha256', second.run, second.prevHash, true)];
      const texts = first.run.texts;
      const there = await Promise.all([walkers.walk(first.run, first.prevHash, false, true), walkers.walk(second.run, second.prevHash, true, true)]);
      expect(there).toEqual(here);
      expect(texts.byteLength).toBe(0);
      const spoiled = entries('sha256', 1, 8);
      expect(await walkers.walk(spoiled.run, 'b'.repeat(64), false, true)).toBeNull();
    } finally {
      await walkers.close();
    }
  });
});
