import { useState } from 'preact/hooks';
import { errorText, get, post, type Doc, type Page, type Task } from '../api';
import { formatTime, pick, stateName, t } from '../i18n';
import { linkProps } from '../router';
import { Alert, Due, Loading, useLoad } from '../util';

interface BulkResult { taskId: string; statusCode: number; code?: string; message?: string; document?: { state: string } }

/** Sorted by urgency: overdue first, then the nearest due date; tasks without a deadline last. */
const urgency = (task: Task) => (task.dueAt ? new Date(task.dueAt).getTime() : Number.MAX_SAFE_INTEGER);

export function Inbox() {
  const { data, error, loading, reload } = useLoad(async () => {
    const [tasks, docs] = await Promise.all([
      get<Page<Task>>('/api/tasks?status=open&limit=200'),
      // The inbox's tasks do not say whether their date is provisional; the documents list does.
      get<Page<Doc>>('/api/documents?limit=200').catch(() => ({ items: [] as Doc[], nextCursor: null })),
    ]);
    const provisional = new Set(docs.items.filter((d) => d.dueProvisional).map((d) => d.id));
    return { tasks: [...tasks.items].sort((a, b) => urgency(a) - urgency(b)), provisional };
  }, []);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [results, setResults] = useState<BulkResult[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [bulkError, setBulkError] = useState('');
  const tasks = data?.tasks ?? [];
  const toggle = (id: string) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setSelected(next);
  };
  const bulkApprove = async () => {
    setBusy(true);
    setBulkError('');
    try {
      const res = await post<{ results: BulkResult[] }>('/api/tasks/bulk-decision', { items: [...selected].map((taskId) => ({ taskId, decision: 'approve' })) });
      setResults(res.results);
      setSelected(new Set());
      reload();
    } catch (err) {
      setBulkError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const titleOf = (id: string) => tasks.find((x) => x.id === id)?.documentTitle ?? results?.find((r) => r.taskId === id)?.taskId ?? id;
  return (
    <section aria-labelledby="inbox-title">
      <h1 id="inbox-title">{t('inboxTitle')}</h1>
      <Loading error={error} loading={loading && !data} />
      {data && tasks.length === 0 && <p class="muted" data-testid="inbox-empty">{t('inboxEmpty')}</p>}
      {tasks.length > 0 && (
        <>
          <div class="toolbar">
            <button type="button" class="primary" disabled={!selected.size || busy} onClick={bulkApprove}>
              {t('bulkApprove')} ({selected.size})
            </button>
          </div>
          <div class="table-wrap">
            <table class="tasks">
              <thead>
                <tr>
                  <th scope="col">
                    <input type="checkbox" aria-label={t('selectAll')} checked={selected.size === tasks.length} onChange={(e) => setSelected(e.currentTarget.checked ? new Set(tasks.map((x) => x.id)) : new Set())} />
                  </th>
                  <th scope="col">{t('document')}</th>
                  <th scope="col">{t('step')}</th>
                  <th scope="col">{t('dueAt')}</th>
                  <th scope="col">{t('received')}</th>
                </tr>
              </thead>
              <tbody>
                {tasks.map((task) => (
                  <tr key={task.id} data-task-id={task.id} class={task.dueAt && new Date(task.dueAt).getTime() < Date.now() ? 'row-overdue' : undefined}>
                    <td><input type="checkbox" aria-label={`${t('select')}: ${task.documentTitle ?? task.documentId}`} checked={selected.has(task.id)} onChange={() => toggle(task.id)} /></td>
                    <td><a {...linkProps(`/documents/${task.documentId}?task=${task.id}`)}>{task.documentTitle ?? task.documentId}</a></td>
                    <td>{pick(task.step?.name) || task.stepKey}{task.round > 1 && <span class="muted"> · {task.round}</span>}</td>
                    <td><Due at={task.dueAt} provisional={data!.provisional.has(task.documentId)} /></td>
                    <td>{formatTime(task.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      {bulkError && <Alert kind="error">{bulkError}</Alert>}
      {results && (
        <section aria-labelledby="bulk-title" class="card" data-testid="bulk-results">
          <h2 id="bulk-title">{t('bulkResult')}</h2>
          <ul>
            {results.map((r) => (
              <li key={r.taskId} class={r.statusCode === 200 ? 'ok' : 'error'}>
                {titleOf(r.taskId)}: {r.statusCode === 200 ? `${t('ok')} → ${stateName(r.document?.state)}` : `${r.statusCode} ${r.code} ${r.message}`}
              </li>
            ))}
          </ul>
        </section>
      )}
    </section>
  );
}
