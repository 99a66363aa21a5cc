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
