import { useState } from 'preact/hooks';
import { errorText, get, post, query, type Page, type Task } from '../api';
import { errorMessage, formatDate, formatTime, pick, stateName, t, tx } from '../i18n';
import { linkProps } from '../router';
import { Alert, Due, Loading, ScrollBox, useLoad } from '../util';

interface BulkResult { taskId: string; statusCode: number; code?: string; message?: string; document?: { state: string }; title?: string }
type Tab = 'open' | 'done';
const PAGE = 200;

/** Sorted by urgency: overdue first, then the nearest due date; tasks without a deadline last. */
export const urgency = (task: Pick<Task, 'dueAt'>) => (task.dueAt ? new Date(task.dueAt).getTime() : Number.MAX_SAFE_INTEGER);

/**
 * 待办 (open, most urgent first, approvable in bulk) and 已办 (the done tasks of my seats and roles, newest first), a page of
 * 200 at a time with 加载更多 for the next; filters by chain and by due date over what is loaded.
 */
export function Inbox() {
  const [tab, setTab] = useState<Tab>('open');
  const [more, setMore] = useState<{ items: Task[]; cursor: string | null }>({ items: [], cursor: null });
  const [chain, setChain] = useState('');
  const [dueBy, setDueBy] = useState('');
  const chains = useLoad(() => get<{ items: { key: string; name: { zh: string; en: string } }[] }>('/api/chains').catch(() => ({ items: [] })), []);
  const { data, error, loading, reload } = useLoad(async () => {
    const page = await get<Page<Task>>(`/api/tasks${query({ status: tab, limit: PAGE })}`);
    setMore({ items: [], cursor: page.nextCursor });
    return { tab, items: page.items };
  }, [tab]);
  const loadMore = async () => {
    if (!more.cursor) return;
    const page = await get<Page<Task>>(`/api/tasks${query({ status: tab, limit: PAGE, cursor: more.cursor })}`);
    setMore({ items: [...more.items, ...page.items], cursor: page.nextCursor });
  };
  // The other tab's tasks are never shown under this one while its own load.
  const loaded = data?.tab === tab ? [...data.items, ...more.items] : [];
  const chainName = (key: string | undefined) => pick(chains.data?.items.find((c) => c.key === key)?.name) || key || '';
  const shown = loaded
    .filter((x) => !chain || x.chainKey === chain)
    .filter((x) => !dueBy || (x.dueAt !== null && formatDate(x.dueAt) <= dueBy));
  const tasks = tab === 'open' ? [...shown].sort((a, b) => urgency(a) - urgency(b)) : shown;
  const chainKeys = [...new Set(loaded.map((x) => x.chainKey).filter((k): k is string => !!k))];
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [results, setResults] = useState<BulkResult[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [bulkError, setBulkError] = useState('');
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
      // Named by the titles they had when chosen: the approved ones leave the list.
      setResults(res.results.map((r) => ({ ...r, title: loaded.find((x) => x.id === r.taskId)?.documentTitle })));
      setSelected(new Set());
      reload();
    } catch (err) {
      setBulkError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="inbox-title">
      <h1 id="inbox-title">{t('inboxTitle')}</h1>
      <div class="tabs" role="tablist">
        {(['open', 'done'] as const).map((k) => (
          <button key={k} type="button" role="tab" aria-selected={tab === k} class={tab === k ? 'tab active' : 'tab'} onClick={() => { setTab(k); setSelected(new Set()); }}>
            {t(k === 'open' ? 'tabOpen' : 'tabDone')}
          </button>
        ))}
      </div>
      <div class="filters toolbar">
        <label for="inbox-chain">{t('chain')}</label>
        <select id="inbox-chain" value={chain} onChange={(e) => setChain(e.currentTarget.value)}>
          <option value="">{t('allChains')}</option>
          {chainKeys.map((k) => <option key={k} value={k}>{chainName(k)}</option>)}
        </select>
        {tab === 'open' && (
          <>
            <label for="inbox-due">{t('dueBy')}</label>
            <input id="inbox-due" type="date" value={dueBy} onInput={(e) => setDueBy(e.currentTarget.value)} />
          </>
        )}
      </div>
      <Loading error={error} loading={loading && data?.tab !== tab} />
      {data?.tab === tab && tasks.length === 0 && <p class="muted" data-testid="inbox-empty">{t(tab === 'open' ? 'inboxEmpty' : 'inboxDoneEmpty')}</p>}
      {tab === 'done' && tasks.length > 0 && (
        <ScrollBox label={t('tabDone')}>
          <table class="tasks" data-testid="done-tasks">
            <thead>
              <tr>
                <th scope="col">{t('document')}</th>
                <th scope="col">{t('step')}</th>
                <th scope="col">{t('decisionMade')}</th>
                <th scope="col">{t('decidedAt')}</th>
              </tr>
            </thead>
            <tbody>
              {tasks.map((task) => (
                <tr key={task.id} data-task-id={task.id}>
                  <td translate={false}><a {...linkProps(`/documents/${task.documentId}`)}>{task.documentTitle ?? task.documentId}</a></td>
                  <td>{pick(task.step?.name) || task.stepKey}{task.round > 1 && <span class="muted"> · {task.round}</span>}</td>
                  <td>{tx(task.decision ?? '')}{task.comment && <span class="muted"> · {task.comment}</span>}</td>
                  <td>{task.closedAt ? formatTime(task.closedAt) : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollBox>
      )}
      {tab === 'open' && tasks.length > 0 && (
        <>
          <div class="toolbar">
            <button type="button" class="primary" disabled={!selected.size || busy} onClick={bulkApprove}>
              {t('bulkApprove')} ({selected.size})
            </button>
          </div>
          <ScrollBox label={t('tabOpen')}>
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
                    <td translate={false}><input type="checkbox" aria-label={`${t('select')}: ${task.documentTitle ?? task.documentId}`} checked={selected.has(task.id)} onChange={() => toggle(task.id)} /></td>
                    <td translate={false}><a {...linkProps(`/documents/${task.documentId}?task=${task.id}`)}>{task.documentTitle ?? task.documentId}</a></td>
                    <td>{pick(task.step?.name) || task.stepKey}{task.round > 1 && <span class="muted"> · {task.round}</span>}</td>
                    <td><Due at={task.dueAt} provisional={!!task.dueProvisional} /></td>
                    <td>{formatTime(task.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollBox>
        </>
      )}
      {more.cursor && (
        <div class="toolbar">
          <button type="button" onClick={loadMore}>{t('loadMore')}</button>
        </div>
      )}
      {bulkError && <Alert kind="error">{bulkError}</Alert>}
      {results && (
        <section aria-labelledby="bulk-title" class="card" data-testid="bulk-results">
          <h2 id="bulk-title">{t('bulkResult')}</h2>
          <ul>
            {results.map((r) => (
              <li key={r.taskId} class={r.statusCode === 200 ? 'ok' : 'error'}>
                <span translate={false}>{r.title ?? '—'}</span>: {r.statusCode === 200 ? `${t('ok')} → ${stateName(r.document?.state)}` : (r.code && errorMessage(r.code)) || r.message}
              </li>
            ))}
          </ul>
        </section>
      )}
    </section>
  );
}
