import { validationFailed, type FieldError } from '@shenpi/domain';

/** Every kind of notification the service writes. */
export const NOTIFICATION_KINDS = ['task-assigned', 'returned', 'decided', 'disclosed', 'remind', 'deadline-passed', 'escalate', 'urge', 'copy-to', 'task-rerouted', 'tasks-unassigned'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** Per kind: shown in the app, sent by e-mail. */
export interface KindSetting {
  inApp: boolean;
  email: boolean;
}

/** A user's own choice: where e-mail goes (none: no e-mail), and each kind's channels (absent: both on). */
export interface NotificationSettings {
  email: string | null;
  kinds: Record<NotificationKind, KindSetting>;
}

/** A plain address: one @, no spaces or angle brackets (it becomes an SMTP recipient), at most 254 characters. */
const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/;

export function settingsOf(stored: string | null | undefined): NotificationSettings {
  const raw = (stored ? JSON.parse(stored) : {}) as { email?: string | null; kinds?: Partial<Record<string, Partial<KindSetting>>> };
  const kinds = Object.fromEntries(
    NOTIFICATION_KINDS.map((k) => [k, { inApp: raw.kinds?.[k]?.inApp !== false, email: raw.kinds?.[k]?.email !== false }]),
  ) as Record<NotificationKind, KindSetting>;
  return { email: raw.email ?? null, kinds };
}

/** The kinds a user turned off in the app: left out of their list, count and stream. */
export const mutedInApp = (s: NotificationSettings): NotificationKind[] => NOTIFICATION_KINDS.filter((k) => !s.kinds[k].inApp);

/** Whether a notification of `kind` goes to the user by e-mail, and where. */
export function mailTo(s: NotificationSettings, kind: string): string | null {
  if (!s.email) return null;
  return (s.kinds as Record<string, KindSetting>)[kind]?.email === false ? null : s.email;
}

/** A change to one's settings, checked field by field: `email` (an address or null), `kinds.<kind>.inApp|email` booleans. */
export function changedSettings(current: NotificationSettings, input: unknown): NotificationSettings {
  const problems: FieldError[] = [];
  if (!input || typeof input !== 'object' || Array.isArray(input)) throw validationFailed([{ field: 'body', reason: 'must be an object { email?, kinds? }' }]);
  const body = input as Record<string, unknown>;
  for (const key of Object.keys(body)) if (key !== 'email' && key !== 'kinds') problems.push({ field: key, reason: `property ${key} should not exist` });
  const next: NotificationSettings = { email: current.email, kinds: structuredClone(current.kinds) };
  if ('email' in body) {
    if (body.email === null || body.email === '') next.email = null;
    else if (typeof body.email !== 'string' || body.email.length > 254 || !EMAIL.test(body.email)) problems.push({ field: 'email', reason: 'must be an e-mail address such as name@example.gov.cn, or null' });
    else next.email = body.email;
  }
  if ('kinds' in body) {
    const kinds = body.kinds;
    if (!kinds || typeof kinds !== 'object' || Array.isArray(kinds)) problems.push({ field: 'kinds', reason: 'must be an object of kind → { inApp?, email? }' });
    else {
      for (const [kind, value] of Object.entries(kinds)) {
        if (!(NOTIFICATION_KINDS as readonly string[]).includes(kind)) {
          problems.push({ field: `kinds.${kind}`, reason: `is not a kind of notification (${NOTIFICATION_KINDS.join(', ')})` });
          continue;
        }
        if (!value || typeof value !== 'object' || Array.isArray(value)) {
          problems.push({ field: `kinds.${kind}`, reason: 'must be an object { inApp?, email? }' });
          continue;
        }
        for (const [channel, on] of Object.entries(value)) {
          if (channel !== 'inApp' && channel !== 'email') problems.push({ field: `kinds.${kind}.${channel}`, reason: 'is not a channel (inApp, email)' });
          else if (typeof on !== 'boolean') problems.push({ field: `kinds.${kind}.${channel}`, reason: 'must be true or false' });
          else next.kinds[kind as NotificationKind][channel] = on;
        }
      }
    }
  }
  if (problems.length) throw validationFailed(problems);
  return next;
}
