import { COMMON_PASSWORDS } from './common-passwords.js';

/** NIST SP 800-63B asks for at least 8; a password that guards government review decisions gets 12. */
export const PASSWORD_MIN_LENGTH = 12;
/** The login route accepts no longer one: a longer password could be set but never used. */
export const PASSWORD_MAX_LENGTH = 256;

/** The list's words hide behind digits and symbols at either end (`Password2026!`). */
const strip = (text: string) => [text, text.replace(/[^\p{L}]+$/u, ''), text.replace(/^[^\p{L}]+/u, ''), text.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '')];

/**
 * Why a password a person chose for `username` is refused, or null when it may be used: too short
 * (or too long to log in with), the username or containing it (case-insensitive), or common (on the
 * shipped list, or one short pattern repeated).
 */
export function passwordProblem(password: string, username: string): string | null {
  const text = password.normalize('NFC');
  const length = [...text].length;
  if (length < PASSWORD_MIN_LENGTH) return `must be at least ${PASSWORD_MIN_LENGTH} characters long (this one has ${length})`;
  if (length > PASSWORD_MAX_LENGTH) return `must be at most ${PASSWORD_MAX_LENGTH} characters long`;
  const lower = text.toLowerCase();
  const name = username.normalize('NFC').toLowerCase();
  if (lower === name) return 'must not be the username';
  if (lower.includes(name)) return 'must not contain the username';
  if (/^(.{1,4})\1+$/su.test(lower)) return 'is too common: one short pattern repeated';
  if (strip(lower).some((candidate) => COMMON_PASSWORDS.has(candidate))) return 'is too common: it is on the list of passwords people choose first';
  return null;
}
