import { diffChars, diffLines } from 'diff';

/** What a redline may spend, in all, before it shows what is left as whole blocks. */
export const REDLINE_BUDGET_MS = 250;

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
export function redline(before: string, after: string, budgetMs = REDLINE_BUDGET_MS): RedlinePart[] {
  // The diff's cost grows with the square of what changed: past the budget, a block that is left is
  // shown whole (deleted, then inserted) rather than hold the process (a reader may ask for any two versions).
  const deadline = Date.now() + budgetMs;
  const left = () => Math.max(1, deadline - Date.now());
  const parts: RedlinePart[] = [];
  const push = (op: RedlinePart['op'], text: string) => {
    if (!text) return;
    const last = parts.at(-1);
    if (last?.op === op) last.text += text;
    else parts.push({ op, text });
  };
  const blocks = diffLines(before, after, { timeout: left() });
  if (!blocks) return [...(before ? [{ op: 'delete' as const, text: before }] : []), ...(after ? [{ op: 'insert' as const, text: after }] : [])];
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i]!;
    const next = blocks[i + 1];
    if (block.removed && next?.added) {
      // A paragraph rewritten: the characters that changed in it.
      const chars = Date.now() < deadline ? diffChars(block.value, next.value, { timeout: left() }) : undefined;
      if (chars) for (const c of chars) push(c.added ? 'insert' : c.removed ? 'delete' : 'equal', c.value);
      else push('delete', block.value), push('insert', next.value);
      i++;
    } else {
      push(block.added ? 'insert' : block.removed ? 'delete' : 'equal', block.value);
    }
  }
  return parts;
}
