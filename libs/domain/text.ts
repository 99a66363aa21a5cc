/** Half of a surrogate pair standing alone: no character, though a JavaScript string can hold it. */
const LONE_SURROGATE = /\p{Cs}/u;

export const hasLoneSurrogate = (text: string) => LONE_SURROGATE.test(text);

/**
 * `value` with every string's NUL and lone surrogates replaced by U+FFFD (at any depth). What the
 * audit log hashes passes here: PostgreSQL's JSON functions refuse both escapes, and one such
 * entry would stop the sequencer. Values the API takes are refused before they get here.
 */
export function storableText<T>(value: T): T {
  if (typeof value === 'string') return (value.includes('\u0000') || LONE_SURROGATE.test(value) ? value.replace(/\u0000|\p{Cs}/gu, '\uFFFD') : value) as T;
  if (Array.isArray(value)) return value.map(storableText) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [storableText(k), storableText(v)])) as T;
  return value;
}

/**
 * Characters a name shown to people never needs and that make it lie about itself: control
 * characters (Cc), format characters (Cf: the bidi overrides and isolates U+202A–U+202E,
 * U+2066–U+2069, the marks U+200E, U+200F, U+061C, zero-width characters) that turn
 * `invoice\u202efdp.exe` into "invoiceexe.pdf" on screen, lone surrogates (Cs), line or paragraph
 * separators, characters that render as nothing (default-ignorable, Hangul fillers, blank Braille
 * U+2800), private-use and unassigned code points.
 */
const HIDDEN = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}\p{Co}\p{Cn}\u2800]/u;

/** Why `name` (a file name, a person's or a department's name) would not show what it is, or undefined. */
export function hiddenCharacterIn(name: string): string | undefined {
  const hidden = HIDDEN.exec(name);
  if (!hidden) return undefined;
  const code = hidden[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
  return `must not contain control, format, invisible or bidirectional characters (U+${code})`;
}
