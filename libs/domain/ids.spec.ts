import { isUuid, newId } from './ids.js';

describe('newId', () => {
  it('makes version-7 UUIDs that sort in creation order, even in one millisecond', () => {
    const ids = Array.from({ length: 5000 }, () => newId(1_800_000_000_000));
    expect(ids.every(isUuid)).toBe(true);
    expect(ids.every((id) => id[14] === '7' && '89ab'.includes(id[19]))).toBe(true);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    // The random tail is fresh for every id (the random pool is refilled, never reused).
    expect(new Set(ids.map((id) => id.slice(24))).size).toBe(ids.length);
  });
  it('never goes backwards when the clock does', () => {
    const a = newId(1_900_000_000_000);
    const b = newId(1_800_000_000_000);
    expect(b > a).toBe(true);
  });
});
