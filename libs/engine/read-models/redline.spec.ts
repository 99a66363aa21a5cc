import { describe, expect, it } from '@jest/globals';
import { redline, type RedlinePart } from './redline.js';

const older = (parts: RedlinePart[]) => parts.filter((p) => p.op !== 'insert').map((p) => p.text).join('');
const newer = (parts: RedlinePart[]) => parts.filter((p) => p.op !== 'delete').map((p) => p.text).join('');

describe('redline', () => {
  it('marks the characters changed inside a rewritten paragraph and a paragraph added whole', () => {
    const before = '一、主要举措\n审查文件2件。\n';
    const after = '一、主要举措\n审查文件5件。\n二、新增一段\n';
    const parts = redline(before, after);
    expect([older(parts), newer(parts)]).toEqual([before, after]);
    expect(parts.filter((p) => p.op !== 'equal')).toEqual([
      { op: 'delete', text: '2' },
      { op: 'insert', text: '5' },
      { op: 'insert', text: '二、新增一段\n' },
    ]);
  });

  it('shows a rewrite too large for its budget as whole blocks instead of holding the process', () => {
    // Two unrelated 20,000-character paragraphs: a character diff of them takes tens of seconds.
    const text = (seed: number) => Array.from({ length: 20_000 }, (_, i) => String.fromCharCode(0x4e00 + ((i * 7919 + seed) % 20_000))).join('');
    const [before, after] = [text(1), text(5003)];
    const parts = redline(before, after, 50);
    expect(parts).toEqual([{ op: 'delete', text: before }, { op: 'insert', text: after }]);
  });
});
