/** The existing HTTP API (API.md), with the JWT from POST /api/auth/login kept in sessionStorage. */
import { errorMessage, lang, pick } from './i18n';

const TOKEN = 'shenpi.token';

export interface Me { id: string; username: string; displayName: string; roles: { role: string; departmentId: string | null }[] }
/** A global administrator: `admin` held with no department (a department's administrator holds it in theirs). */
export const isGlobalAdmin = (me: Me | undefined) => !!me?.roles.some((r) => r.role === 'admin' && r.departmentId === null);
export type Name = { zh: string; en: string };
export interface Task {
  id: string; documentId: string; documentTitle?: string; stepKey: string; step: { key: string; name: Name }; round: number;
  departmentId: string; assignee: { role: string | null; userId: string | null; departmentId: string }; status: string;
  dueAt: string | null; createdAt: string; decision: string | null; comment: string | null;
  /** In inbox pages: the document's chain, and whether the due date is provisional (暂定). */
  chainKey?: string; dueProvisional?: boolean; closedAt?: string | null;
}
export interface AllowedAction { action: string; taskId?: string; returnTo?: string[] }
export interface Doc {
  id: string; title: string; year: number; departmentId: string; chain: { key: string; version: number; name?: { zh: string; en: string } }; state: string;
  stateName: Name; final: boolean; version: number; content?: string; dueAt: string | null; dueProvisional?: boolean;
  /** The chain's statutory dates: `overdue` while one has passed unreached, `daysOverdue` Beijing calendar days since it. */
  milestones?: { key: string; name: Name; step: string; dueAt: string; reached: boolean; overdue: boolean; daysOverdue: number }[];
  planning?: { step: string; name: Name; latestStart: string; provisional: boolean }[];
  openTasks?: Task[]; allowedActions?: AllowedAction[]; disclosure?: { url: string; publishedOn: string } | null;
  createdAt: string; updatedAt: string;
}
/**
 * How a document stands against a statutory date (its timeline, the year overview): `met` true (by the
 * date), false (reached late, or `overdue`: unreached past it), null (neither yet); `daysOverdue`
 * Beijing calendar days from the date to when it was reached or, while overdue, to today.
 */
export interface MilestoneStanding {
  key: string; dueAt: string; reachedAt: string | null; met: boolean | null; overdue: boolean; daysOverdue: number;
  disclosure?: { publishedOn: string; recordedAt: string; recordedLate: boolean };
}
export interface Actor { type: string; id: string | null; role: string | null; departmentId: string | null; onBehalfOf: string | null }
export interface AuditEntry { seq: number; at: string; category: string; action: string; result: string; actor: Actor; departmentId: string | null; documentId: string | null; from: string | null; to: string | null; details: unknown; hash: string }
export interface Page<T> { items: T[]; nextCursor: string | null }

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly details: unknown) {
    super(message);
  }
}

export const token = {
  get: () => sessionStorage.getItem(TOKEN),
  set: (t: string) => sessionStorage.setItem(TOKEN, t),
  clear: () => sessionStorage.removeItem(TOKEN),
};

// The server's clock, from the Date header of its answers: "today" is the service's, not the browser's.
let serverOffsetMs = 0;
/** Now on the server's clock (to the second), as of its last answer. */
export const serverNow = () => new Date(Date.now() + serverOffsetMs);
/** The server's date in Beijing (UTC+8), YYYY-MM-DD. */
export const serverToday = () => new Date(serverNow().getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

let onUnauthenticated = () => {};
export const whenUnauthenticated = (f: () => void) => (onUnauthenticated = f);

export async function request(method: string, path: string, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = {};
  const t = token.get();
  if (t) headers.authorization = `Bearer ${t}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const date = Date.parse(res.headers.get('date') ?? '');
  if (!Number.isNaN(date)) serverOffsetMs = date - Date.now();
  if (!res.ok) {
    const err = await res.json().catch(() => ({}));
    if (res.status === 401 && !path.endsWith('/auth/login')) onUnauthenticated();
    throw new ApiError(res.status, err.code ?? 'ERROR', err.message ?? res.statusText, err.details ?? null);
  }
  return res;
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await request(method, path, body);
  return (res.status === 204 ? undefined : await res.json()) as T;
}
export const get = <T>(path: string) => api<T>('GET', path);
export const post = <T>(path: string, body?: unknown) => api<T>('POST', path, body ?? {});
export const patch = <T>(path: string, body: unknown) => api<T>('PATCH', path, body);
export const put = <T>(path: string, body: unknown) => api<T>('PUT', path, body);
export const del = <T>(path: string) => api<T>('DELETE', path);

export const query = (params: Record<string, string | number | undefined | null>) => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
};

/**
 * An error's text for the page, in the page's language: what its code means (every code the API
 * answers has a sentence in both), with what it names (the sections missing, the fields and why).
 * A code the dictionary does not know shows the API's own words.
 */
export function errorText(err: unknown): string {
  if (err instanceof ApiError) {
    const d = err.details as unknown;
    let extra = '';
    if (Array.isArray(d)) extra = d.map((x) => (typeof x === 'object' && x ? Object.values(x).map((v) => (typeof v === 'object' ? JSON.stringify(v) : v)).join(': ') : String(x))).join('; ');
    else if (d && typeof d === 'object' && 'missing' in d) extra = ((d as { missing: { name: Name }[] }).missing ?? []).map((m) => pick(m.name)).join(lang === 'zh' ? '、' : ', ');
    return `${errorMessage(err.code) ?? err.message}${extra ? (lang === 'zh' ? `：${extra}` : `: ${extra}`) : ''}`;
  }
  return err instanceof Error ? err.message : String(err);
}

/** The fields an error names (a 400's list of `{ field, reason }`, API.md; a 409's `details.field`), each with its reason. */
export function fieldErrors(err: unknown): Record<string, string> {
  if (!(err instanceof ApiError)) return {};
  const d = err.details;
  const out: Record<string, string> = {};
  if (Array.isArray(d)) for (const x of d) if (x && typeof x === 'object' && typeof x.field === 'string') out[x.field] = String(x.reason ?? '');
  if (d && typeof d === 'object' && !Array.isArray(d) && typeof (d as { field?: unknown }).field === 'string') out[(d as { field: string }).field] = err.message;
  return out;
}
