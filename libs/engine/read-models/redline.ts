import { diffChars, diffLines } from 'diff';

/** One run of a redline: text both versions share, or text only the newer (insert) or the older (delete) has. */
export interface RedlinePart {
  op: 'equal' | 'insert' | 'delete';
  text: string;
}

/**
 * What changed from `before` to `after`, paragraph by paragraph and, inside a paragraph that was
 * rewritten, character by character (Chinese has no spaces between words: characters are its
 * words). Paragraphs added or removed whole stay whole. Concatenating the equal and delete runs
 * gives `before`; the equal and insert runs give `after`.
 */
export function redline(before: string, after: string): RedlinePart[] {
  const parts: RedlinePart[] = [];
  const push = (op: RedlinePart['op'], text: string) => {
    if (!text) return;
    const last = parts.at(-1);
    if (last?.op === op) last.text += text;
    else parts.push({ op, text });
  };
  const blocks = diffLines(before, after);
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i]!;
    const next = blocks[i + 1];
    if (block.removed && next?.added) {
      // A paragraph rewritten: the characters that changed in it.
      for (const c of diffChars(block.value, next.value)) push(c.added ? 'insert' : c.removed ? 'delete' : 'equal', c.value);
      i++;
    } else {
      push(block.added ? 'insert' : block.removed ? 'delete' : 'equal', block.value);
    }
  }
  return parts;
}
