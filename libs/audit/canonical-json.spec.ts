import { canonicalJson } from './canonical-json.js';

describe('canonicalJson (RFC 8785)', () => {
  it('sorts keys at every depth and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}');
  });
  it('orders keys by UTF-16 code units, as the RFC requires', () => {
    expect(canonicalJson({ '\u00e9': 1, z: 2, '\ud83d\ude00': 3, 法: 4 })).toBe('{"z":2,"é":1,"法":4,"😀":3}');
  });
  it('writes numbers and strings as ECMAScript JSON does, and drops undefined members', () => {
    expect(canonicalJson({ n: 1e21, f: 0.1, s: 'a"\n\u2028', u: undefined })).toBe('{"f":0.1,"n":1e+21,"s":"a\\"\\n\u2028"}');
  });
  it('refuses values JSON cannot carry', () => {
    expect(() => canonicalJson({ x: Number.NaN })).toThrow();
  });
});
