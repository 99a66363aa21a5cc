import type { Doc, Me, Name } from '../../api';
import { fillIn, pick, t, type Key } from '../../i18n';

/** A person as `GET /api/users` lists them (for choosing a delegate, a signer, a recipient). */
export interface Person { id: string; username: string; displayName: string | Name; roles?: { role: string; departmentId: string | null }[] }

/** The statutory clock of the document's current step, as the document view carries it. */
export interface ClockState {
  pausedAt?: string;
  pausedReason?: string;
  extension?: { requestedBy: string; workingDays: number; reason: string; requestedAt: string };
  extendedWorkingDays?: number;
  paused?: { workingDays: number; ms: number };
}
export type PanelDoc = Doc & { clock?: ClockState };

/** What every panel of the document screen is given. */
export interface PanelProps {
  doc: PanelDoc;
  me: Me;
  /** The enabled people of the document's department (empty when the caller may not list them). */
  users: Person[];
  /** Display names by user id, of the people listed and everyone who acted on the document. */
  names: Map<string, string>;
  /** Reloads the document after a change. */
  changed: () => void;
}

/** A text of the dictionary with `{name}` placeholders filled in. */
export const fill = (key: Key, vars: Record<string, string | number>) => fillIn(t(key), vars);

/** A person's display name, never their id: who the caller may not look up is named as such. */
export const personName = (names: Map<string, string>, id: string | null | undefined) => (id && names.get(id)) || t('dpUnknownPerson');

export const displayName = (p: Person) => pick(p.displayName);

/** The caller's open task in the document's current step, as their allowed actions name it. */
export const myTaskId = (doc: Doc) => (doc.allowedActions ?? []).find((a) => a.taskId)?.taskId;
