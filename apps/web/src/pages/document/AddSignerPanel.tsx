import { useState } from 'preact/hooks';
import { ApiError, errorText, post } from '../../api';
import { t, type Key } from '../../i18n';
import { Alert } from '../../util';
import { displayName, fill, type PanelProps } from './shared';

/** The API's reasons for refusing a signer (400 naming `userId`), in the page's language. */
const REASONS: [RegExp, Key][] = [
  [/^no such user/, 'dpReasonNoSuchUser'],
  [/^must hold a role in/, 'dpReasonNotInDepartment'],
  [/^you already sign/, 'dpReasonYouSign'],
  [/^a supervisor does not sign/, 'dpReasonSupervisor'],
  [/^this user already signs/, 'dpReasonAlreadySigns'],
  [/^the user is disabled/, 'dpReasonDisabled'],
];
const RULES: Record<string, Key> = {
  'author-decides': 'dpRuleAuthor',
  'second-vote-in-step': 'dpRuleSecondVote',
  'second-step-in-round': 'dpRuleSecondStep',
  'supervisor-decides': 'dpRuleSupervisor',
};

/** A refusal of 加签 in words: who may not sign, and why (separation of duties, or the field's reason). */
function refusal(err: unknown, name: string): { text: string; field: boolean } {
  if (err instanceof ApiError && err.code === 'SEPARATION_OF_DUTIES') {
    const rule = RULES[(err.details as { rule?: string } | null)?.rule ?? ''];
    return { text: `${fill('dpSodRefused', { name })}${rule ? `${t('dpColon')}${t(rule)}` : ''}`, field: true };
  }
  const named = err instanceof ApiError && Array.isArray(err.details) ? (err.details as { field?: string; reason?: string }[]).find((d) => d.field === 'userId') : undefined;
  if (named) {
    const known = REASONS.find(([re]) => re.test(named.reason ?? ''));
    return { text: `${fill('dpSignerRefused', { name })}${t('dpColon')}${known ? t(known[1]) : named.reason}`, field: true };
  }
  return { text: errorText(err), field: false };
}

/**
 * 加签: the reviewer holding an open task of a signed step adds a colleague of the department, to sign
 * before them (they decide again after) or after they approve. The API judges separation of duties.
 */
export function AddSignerPanel({ doc, me, users, changed }: PanelProps) {
  const action = doc.allowedActions?.find((a) => a.action === 'add-signer' && a.taskId);
  const [userId, setUserId] = useState('');
  const [position, setPosition] = useState<'before' | 'after'>('after');
  const [note, setNote] = useState('');
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [invalid, setInvalid] = useState(false);
  const [busy, setBusy] = useState(false);
  if (!action && !message) return null;
  const candidates = users.filter((u) => u.id !== me.id);
  const nameOf = (id: string) => { const u = users.find((x) => x.id === id); return u ? displayName(u) : t('dpUnknownPerson'); };
  const submit = async (e: Event) => {
    e.preventDefault();
    setMessage(null);
    setInvalid(false);
    if (!userId) {
      setInvalid(true);
      return setMessage({ kind: 'error', text: t('dpChooseSigner') });
    }
    setBusy(true);
    try {
      await post(`/api/tasks/${action!.taskId}/add-signer`, { userId, position, expectedVersion: doc.version, ...(note.trim() ? { comment: note.trim() } : {}) });
      setMessage({ kind: 'ok', text: fill('dpSignerAdded', { name: nameOf(userId) }) });
      setUserId('');
      setNote('');
      changed();
    } catch (err) {
      const r = refusal(err, nameOf(userId));
      setInvalid(r.field);
      setMessage({ kind: 'error', text: r.text });
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="add-signer-title" class="card" data-testid="add-signer-panel">
      <h2 id="add-signer-title">{t('dpAddSignerTitle')}</h2>
      {action && (
        <form noValidate onSubmit={submit} aria-labelledby="add-signer-title">
          <p class="muted">{t('dpAddSignerHint')}</p>
          <label for="add-signer-user">{t('dpSigner')}</label>
          <select id="add-signer-user" required aria-invalid={invalid || undefined} aria-describedby={message?.kind === 'error' ? 'add-signer-message' : undefined} value={userId} onChange={(e) => setUserId(e.currentTarget.value)}>
            <option value="">{t('chooseUser')}</option>
            {candidates.map((u) => <option key={u.id} value={u.id} translate={false}>{displayName(u)} ({u.username})</option>)}
          </select>
          <label for="add-signer-position">{t('dpPosition')}</label>
          <select id="add-signer-position" value={position} onChange={(e) => setPosition(e.currentTarget.value as 'before' | 'after')}>
            <option value="after">{t('dpAfter')}</option>
            <option value="before">{t('dpBefore')}</option>
          </select>
          <label for="add-signer-note">{t('dpNoteOptional')}</label>
          <input id="add-signer-note" value={note} onInput={(e) => setNote(e.currentTarget.value)} />
          <div class="buttons"><button type="submit" disabled={busy}>{t('dpAddSigner')}</button></div>
        </form>
      )}
      <div id="add-signer-message">{message && <Alert kind={message.kind}>{message.text}</Alert>}</div>
    </section>
  );
}
