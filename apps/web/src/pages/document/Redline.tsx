import { useState } from 'preact/hooks';
import { ApiError, get } from '../../api';
import { fillIn, t } from '../../i18n';
import { Loading, useLoad } from '../../util';

interface Part { op: 'equal' | 'insert' | 'delete'; text: string }
interface VersionDiff { version: number; diff?: { against: number; title: Part[]; content: Part[] } }


/** Runs of a redline: kept text plain, insertions underlined, deletions struck through (each named for screen readers). */
function Runs({ parts, testid }: { parts: Part[]; testid: string }) {
  return (
    // The document's words in its language (a screen reader's voice), the inserted/deleted labels in the page's.
    <div class="redline" data-testid={testid} translate={false}>
      {parts.map((p, i) =>
        p.op === 'equal' ? <span key={i} lang="zh-CN">{p.text}</span>
        : p.op === 'insert' ? <ins key={i}><span class="sr-only" translate>{t('inserted')}: </span><span lang="zh-CN">{p.text}</span></ins>
        : <del key={i}><span class="sr-only" translate>{t('deleted')}: </span><span lang="zh-CN">{p.text}</span></del>,
      )}
    </div>
  );
}

/** What changed from version `from` to version `to` of a document: its title and content, redlined by the API. */
export function Redline({ documentId, from, to }: { documentId: string; from: number; to: number }) {
  const answer = useLoad(
    // A 404: a version from before texts were kept (the document itself is readable: the page shows it).
    () => get<VersionDiff>(`/api/documents/${documentId}/versions/${to}?diff=${from}`).catch((err) => {
      if (err instanceof ApiError && err.status === 404) return { version: to, unknown: true };
      throw err;
    }),
    [documentId, from, to],
  );
  if (answer.data && 'unknown' in answer.data) return <p class="muted">{t('versionUnknown')}</p>;
  const diff = answer.data?.diff;
  if (!diff) return <Loading error={answer.error} loading={answer.loading} />;
  const changed = (parts: Part[]) => parts.some((p) => p.op !== 'equal');
  if (!changed(diff.title) && !changed(diff.content)) return <p class="muted">{t('noChanges')}</p>;
  return (
    <div class="redline-pair">
      <p class="muted">{fillIn(t('redlineOf'), { from, to })}</p>
      {changed(diff.title) && <Runs parts={diff.title} testid="redline-title" />}
      <Runs parts={diff.content} testid="redline-content" />
    </div>
  );
}

/**
 * For a document that came back after a return: what its author changed since the version the
 * reviewer returned (the version the last 退回 left, against the present one). Nothing when it was not
 * edited since.
 */
export function ChangesSinceReturn({ documentId, returnedAt, now }: { documentId: string; returnedAt: number; now: number }) {
  return (
    <section aria-labelledby="changes-title" class="card" data-testid="changes-since-return">
      <h2 id="changes-title">{t('changesSinceReturn')}</h2>
      <p class="muted">{fillIn(t('changesSinceReturnHint'), { from: returnedAt, to: now })}</p>
      <Redline documentId={documentId} from={returnedAt} to={now} />
    </section>
  );
}

/** An edit in the timeline: a button that opens the redline of that edit (the version before it, against the one it wrote). */
export function EditChanges({ documentId, version }: { documentId: string; version: number }) {
  const [open, setOpen] = useState(false);
  const id = `edit-changes-${version}`;
  return (
    <>
      {' '}
      <button type="button" class="link" aria-expanded={open} aria-controls={id} onClick={() => setOpen(!open)}>{open ? t('hideChanges') : t('showChanges')}</button>
      {open && <div id={id}><Redline documentId={documentId} from={version - 1} to={version} /></div>}
    </>
  );
}
