import { useState } from 'preact/hooks';
import { get, post } from '../../api';
import { formatTime, t } from '../../i18n';
import { Loading, useLoad, useSubmit } from '../../util';
import { displayName, fill, personName, type PanelProps } from './shared';

interface Copy { userId: string; copiedBy: string; createdAt: string }

/**
 * 抄送: who the document was copied to (anyone who reads it sees the list), and the form to copy it to
 * colleagues — for whoever holds a role in its department other than supervisor, or has acted on it.
 */
export function CopiesPanel({ doc, me, users, names, acted }: PanelProps & { acted: boolean }) {
  const copies = useLoad(() => get<{ items: Copy[] }>(`/api/documents/${doc.id}/copies`), [doc.id]);
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [note, setNote] = useState('');
  const submit = useSubmit();
  const inDepartment = me.roles.some((r) => r.departmentId === doc.departmentId && r.role !== 'supervisor');
  const mayCopy = inDepartment || acted;
  const all = new Map(names);
  for (const u of users) all.set(u.id, displayName(u));
  const copied = new Set((copies.data?.items ?? []).map((c) => c.userId));
  const candidates = users.filter((u) => u.id !== me.id);
  const toggle = (id: string) => {
    const next = new Set(chosen);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setChosen(next);
  };
  const copy = (e: Event) => {
    e.preventDefault();
    void submit.run(async () => {
      if (!chosen.size) throw new Error(t('dpChooseRecipients'));
      const { copiedTo } = await post<{ copiedTo: string[] }>(`/api/documents/${doc.id}/copies`, { userIds: [...chosen], ...(note.trim() ? { comment: note.trim() } : {}) });
      setChosen(new Set());
      setNote('');
      copies.reload();
      return copiedTo.length ? fill('dpCopiedTo', { names: copiedTo.map((id) => personName(all, id)).join(t('dpListSep')) }) : t('dpAlreadyCopied');
    });
  };
  return (
    <section aria-labelledby="copies-title" class="card" data-testid="copies-panel">
      <h2 id="copies-title">{t('dpCopiesTitle')}</h2>
      <Loading error={copies.error} loading={copies.loading && !copies.data} />
      {copies.data && (copies.data.items.length ? (
        <div class="table-wrap">
          <table data-testid="copies">
            <thead><tr><th scope="col">{t('dpRecipient')}</th><th scope="col">{t('dpCopiedBy')}</th><th scope="col">{t('dpCopiedAt')}</th></tr></thead>
            <tbody>
              {copies.data.items.map((c) => (
                <tr key={c.userId}><td>{personName(all, c.userId)}</td><td>{personName(all, c.copiedBy)}</td><td><time dateTime={c.createdAt}>{formatTime(c.createdAt)}</time></td></tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : <p class="muted">{t('dpNoCopies')}</p>)}
      {mayCopy && candidates.length > 0 && (
        <form class="action-block" onSubmit={copy} aria-labelledby="copy-form-title" noValidate>
          <h3 id="copy-form-title">{t('dpCopyFormTitle')}</h3>
          <fieldset class="dp-people" aria-invalid={submit.invalid('userIds')}>
            <legend>{t('dpCopyTo')}</legend>
            {candidates.map((u) => (
              <label class="inline" key={u.id}>
                <input type="checkbox" checked={chosen.has(u.id)} onChange={() => toggle(u.id)} />
                {displayName(u)}{copied.has(u.id) && <span class="muted"> {t('dpAlreadyHasCopy')}</span>}
              </label>
            ))}
          </fieldset>
          <label for="copy-note">{t('dpNoteOptional')}</label>
          <input id="copy-note" value={note} aria-invalid={submit.invalid('comment')} onInput={(e) => setNote(e.currentTarget.value)} />
          <div class="buttons"><button type="submit" disabled={submit.busy}>{t('dpCopy')}</button></div>
        </form>
      )}
      {submit.shown}
    </section>
  );
}
