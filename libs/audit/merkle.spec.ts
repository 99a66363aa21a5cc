import { CompactRange, consistencyPath, inclusionPath, TreeHasher, verifyConsistency, verifyInclusion, type SubtreeHash } from './merkle.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const unhex = (h: string) => Buffer.from(h, 'hex');
const sha = new TreeHasher('sha256');
const over = (leaves: Buffer[]): SubtreeHash => (start, end) => sha.root(leaves.slice(start, end));

// The reference data of RFC 6962 / RFC 9162 implementations (Certificate Transparency's test vectors).
const DATA = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(unhex);
const LEAVES = DATA.map((d) => sha.leaf(d));
const ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
/** [leaf index (0-based), tree size, proof]. */
const INCLUSION: [number, number, string[]][] = [
  [0, 8, ['96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4']],
  [5, 8, ['bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7']],
  [2, 3, ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125']],
  [1, 5, ['6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b']],
];
const CONSISTENCY: [number, number, string[]][] = [
  [1, 1, []],
  [1, 8, ['96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4']],
  [6, 8, ['0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7']],
  [2, 5, ['5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b']],
];

describe('the Merkle tree of RFC 9162', () => {
  it('has the reference roots for 0 to 8 leaves', () => {
    for (let n = 0; n <= 8; n++) expect(hex(sha.root(LEAVES.slice(0, n)))).toBe(ROOTS[n]);
  });

  it('makes and checks the reference inclusion proofs', () => {
    for (const [index, size, proof] of INCLUSION) {
      const path = inclusionPath(index, size, over(LEAVES.slice(0, size)));
      expect(path.map(hex)).toEqual(proof);
      expect(verifyInclusion(sha, index, size, LEAVES[index], path, unhex(ROOTS[size]))).toBe(true);
      expect(verifyInclusion(sha, index, size, LEAVES[index], path, unhex(ROOTS[size - 1]))).toBe(false);
    }
  });

  it('makes and checks the reference consistency proofs', () => {
    for (const [first, second, proof] of CONSISTENCY) {
      const path = consistencyPath(first, second, over(LEAVES.slice(0, second)));
      expect(path.map(hex)).toEqual(proof);
      expect(verifyConsistency(sha, first, second, path, unhex(ROOTS[first]), unhex(ROOTS[second]))).toBe(true);
    }
  });

  const many = Array.from({ length: 40 }, (_, i) => sha.leaf(Buffer.from([i, i * 7 + 1])));
  const roots = Array.from({ length: many.length + 1 }, (_, n) => sha.root(many.slice(0, n)));

  it('proves every leaf of every tree size up to 40, and nothing with a changed leaf, index, path or root (the size is bound by the signed tree head)', () => {
    for (let size = 1; size <= many.length; size++) {
      for (let i = 0; i < size; i++) {
        const path = inclusionPath(i, size, over(many));
        expect(verifyInclusion(sha, i, size, many[i], path, roots[size])).toBe(true);
        expect(verifyInclusion(sha, i, size, many[(i + 1) % size], path, roots[size])).toBe(size === 1);
        if (size > 1) expect(verifyInclusion(sha, (i + 1) % size, size, many[i], path, roots[size])).toBe(false);
        if (path.length) expect(verifyInclusion(sha, i, size, many[i], path.slice(1), roots[size])).toBe(false);
        expect(verifyInclusion(sha, i, size, many[i], path, roots[size - 1])).toBe(false);
      }
    }
  });

  it('proves every pair of sizes up to 40 consistent, and no pair against a rewritten history', () => {
    const rewritten = many.map((leaf, i) => (i === 3 ? sha.leaf('forged') : leaf));
    for (let second = 1; second <= many.length; second++) {
      for (let first = 1; first <= second; first++) {
        const proof = consistencyPath(first, second, over(many));
        expect(verifyConsistency(sha, first, second, proof, roots[first], roots[second])).toBe(true);
        // A log rewritten at entry 3 after the first head was signed: the old head does not extend.
        if (first > 3) expect(verifyConsistency(sha, first, second, consistencyPath(first, second, over(rewritten)), roots[first], sha.root(rewritten.slice(0, second)))).toBe(false);
        if (first < second) expect(verifyConsistency(sha, first, second, proof, roots[first], roots[second - 1])).toBe(false);
      }
    }
  });

  it('keeps the root of a growing tree in a compact range, equal to MTH at every size', () => {
    const range = new CompactRange(sha);
    expect(range.root()).toEqual(roots[0]);
    many.forEach((leaf, i) => {
      range.append(leaf);
      expect(range.root()).toEqual(roots[i + 1]);
    });
  });

  it('hashes with SM3 for the national suite (GB/T 32905: SM3("abc"))', () => {
    const sm3 = new TreeHasher('sm3');
    expect(hex(sm3.digest('abc'))).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
    const leaves = ['a', 'b', 'c'].map((x) => sm3.leaf(x));
    const root = sm3.root(leaves);
    expect(root).toHaveLength(32);
    const path = inclusionPath(2, 3, (s, e) => sm3.root(leaves.slice(s, e)));
    expect(verifyInclusion(sm3, 2, 3, leaves[2], path, root)).toBe(true);
    expect(verifyInclusion(sha, 2, 3, leaves[2], path, root)).toBe(false);
  });
});
