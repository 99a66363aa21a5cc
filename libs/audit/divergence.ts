/** A document row's field that says something other than the document's last audit entry. */
export interface Mismatch {
  field: 'state' | 'version';
  log: unknown;
  table: unknown;
}

/**
 * What the row must agree with: the state its last transition entry left, and the version that
 * entry recorded (entries that change no version, an urge say, record none). The kernel checks it
 * before every change; verify checks every document.
 */
export function rowVersusLog(row: { state: string; version: number }, last: { to: string | null; version: number | undefined }): Mismatch | undefined {
  if (last.to !== row.state) return { field: 'state', log: last.to, table: row.state };
  if (last.version !== undefined && last.version !== row.version) return { field: 'version', log: last.version, table: row.version };
  return undefined;
}
