import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import { api, errorText, get, post, serverToday, type AllowedAction, type Doc, type Me, type MilestoneStanding } from '../api';
import { Diagram } from '../Diagram';
import { chainVersionName, departmentName, formatTime, lang, pick, roleName, stateName, t, tx, type Key } from '../i18n';
import { Alert, Due, Loading, ScrollBox, useLoad } from '../util';
import { ChangesSinceReturn, EditChanges } from './document/Redline';
import { AddSignerPanel } from './document/AddSignerPanel';
import { AttachmentsPanel } from './document/AttachmentsPanel';
import { ClockPanel } from './document/ClockPanel';
import { CopiesPanel } from './document/CopiesPanel';
import { MilestoneList, TimelineMilestones } from './document/Milestones';

interface Timeline {
  transitions: { seq: number; at: string; action: string; result: string; from: string | null; to: string | null; actor: { type: string; id: string | null; role: string | null; departmentId: string | null; onBehalfOf: string | null }; comment: string | null; version: number | null }[];
  stays: { step: string; name: { zh: string; en: string }; round: number; enteredAt: string; leftAt: string | null; hours: number; dueAt: string | null; met: boolean | null }[];
  /** How the document stands against each statutory date of its chain (as in the year overview). */
  milestones: (MilestoneStanding & { name: { zh: string; en: string }; step: string })[];
  /** Display names of everyone who acted and names of the departments they acted in, whatever the reader's department. */
  people: Record<string, string>;
  departments: Record<string, string>;
}
interface User { id: string; username: string; displayName: string; roles?: { role: string; departmentId: string | null }[] }

export function DocumentView({ id, me }: { id: string; me: Me }) {
  const doc = useLoad(() => get<Doc>(`/api/documents/${id}`), [id]);
  const timeline = useLoad(() => get<Timeline>(`/api/documents/${id}/timeline`), [id, doc.data?.version]);
  const diagram = useLoad(() => get<{ source: string }>(`/api/documents/${id}/diagram?lang=${lang}`), [id, doc.data?.state]);
  const users = useLoad(
    () => (doc.data ? get<{ items: User[] }>(`/api/users?departmentId=${encodeURIComponent(doc.data.departmentId)}&enabled=true&limit=200`).catch(() => ({ items: [] })) : Promise.resolve({ items: [] })),
    [doc.data?.departmentId],
  );
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const d = doc.data;
  if (!d) return <Loading error={doc.error} loading={doc.loading} />;
  const names = new Map<string, string>((users.data?.items ?? []).map((u) => [u.id, pick(u.displayName)]));
  for (const [id, name] of Object.entries(timeline.data?.people ?? {})) names.set(id, pick(name));
  names.set(me.id, pick(me.displayName));
  const department = (id: string | null) => (id ? pick(timeline.data?.departments[id] ?? id) : '');
  const act = async (label: string, run: () => Promise<unknown>) => {
    setMessage(null);
    try {
      await run();
      setMessage({ kind: 'ok', text: `${label}: ${t('done')}` });
      doc.reload();
    } catch (err) {
      setMessage({ kind: 'error', text: errorText(err) });
    }
  };
  const allowed = d.allowedActions ?? [];
  // Step names by key, from the stays (the timeline names every step the document has been in).
  const stepNames = new Map<string, string>((timeline.data?.stays ?? []).map((s) => [s.step, pick(s.name)]));
  stepNames.set(d.state, pick(d.stateName));
  const stepName = (key: string | null) => (key ? stepNames.get(key) ?? stateName(key) : '∅');
  // Edited after its last return: the reviewer sees what changed against the version they returned.
  const transitions = timeline.data?.transitions ?? [];
  const lastReturn = transitions.findLastIndex((e) => e.action === 'return' && e.result !== 'failure');
  const sinceReturn = lastReturn >= 0 && transitions.slice(lastReturn + 1).some((e) => e.action === 'edit') ? transitions[lastReturn]!.version : null;
  const panel = { doc: d, me, users: users.data?.items ?? [], names, changed: doc.reload };
  return (
    <article aria-labelledby="doc-title" class="document">
      <h1 id="doc-title" translate={false}>{d.title}</h1>
      <dl class="facts">
        <div><dt>{t('state')}</dt><dd data-testid="doc-state" data-state={d.state}>{pick(d.stateName)}</dd></div>
        <div><dt>{t('dueAt')}</dt><dd><Due at={d.dueAt} provisional={d.dueProvisional} withTime /></dd></div>
        <div><dt>{t('department')}</dt><dd>{departmentName(d.departmentId)}</dd></div>
        <div><dt>{t('year')}</dt><dd>{d.year}</dd></div>
        <div><dt>{t('chain')}</dt><dd data-chain={d.chain.key}>{chainVersionName(d.chain.name ? pick(d.chain.name) : d.chain.key, d.chain.version)}</dd></div>
        <div><dt>{t('version')}</dt><dd>{d.version}</dd></div>
        {d.disclosure && (
          <>
            <div>
              <dt>{t('disclosureUrl')}</dt>
              {/* The API takes only http(s) URLs; a link is made of nothing else all the same. */}
              <dd data-testid="disclosure-url">{/^https?:\/\//i.test(d.disclosure.url) ? <a href={d.disclosure.url} target="_blank" rel="noopener noreferrer">{d.disclosure.url}</a> : d.disclosure.url}</dd>
            </div>
            <div><dt>{t('publishedOn')}</dt><dd data-testid="disclosure-date"><time dateTime={d.disclosure.publishedOn}>{d.disclosure.publishedOn}</time></dd></div>
          </>
        )}
      </dl>
      {message && <Alert kind={message.kind}>{message.text}</Alert>}
      {sinceReturn && <ChangesSinceReturn documentId={d.id} returnedAt={sinceReturn} now={d.version} />}
      <div class="doc-grid">
        <div class="doc-main">
          {allowed.length > 0 && <Actions doc={d} allowed={allowed} users={users.data?.items ?? []} me={me} act={act} stepName={stepName} />}
          <AddSignerPanel {...panel} />
          <AttachmentsPanel {...panel} />
          <section aria-labelledby="content-title" class="card">
            <h2 id="content-title">{t('content')}</h2>
            <Content text={d.content ?? ''} />
          </section>
        </div>
        <aside class="doc-side">
          <section aria-labelledby="diagram-title" class="card">
            <h2 id="diagram-title">{t('diagram')}</h2>
            {diagram.data ? <Diagram source={diagram.data.source} label={`${t('diagram')}: ${pick(d.stateName)}`} /> : <Loading error={diagram.error} loading={diagram.loading} />}
          </section>
          <ClockPanel {...panel} />
          {/* As the API judges it: a reviewer who held or decided one of its tasks (a supervisor's urge is no task). */}
          <CopiesPanel {...panel} acted={!!timeline.data?.transitions.some((e) => (e.actor.id === me.id || e.actor.onBehalfOf === me.id) && !!e.actor.role && e.actor.role !== 'supervisor') || !!d.openTasks?.some((x) => x.assignee.userId === me.id)} />
          {!!d.milestones?.length && (
            <section aria-labelledby="ms-title" class="card">
              <h2 id="ms-title">{t('milestones')}</h2>
              <MilestoneList milestones={d.milestones} />
              {!!d.planning?.length && !d.final && (
                <>
                  <h3>{t('planning')}</h3>
                  <ul>
                    {d.planning.map((p) => (
                      <li key={p.step}>{pick(p.name)}: {p.latestStart}{p.provisional && <span class="tag tag-amber"> （{t('provisional')}）</span>}</li>
                    ))}
                  </ul>
                </>
              )}
            </section>
          )}
          {!!d.openTasks?.length && (
            <section aria-labelledby="ot-title" class="card">
              <h2 id="ot-title">{t('openTasks')}</h2>
              <ul>
                {d.openTasks.map((task) => (
                  <li key={task.id}>{pick(task.step?.name)} — {task.assignee.role ? roleName(task.assignee.role) : names.get(task.assignee.userId!) ?? task.assignee.userId} · <Due at={task.dueAt} provisional={d.dueProvisional} /></li>
                ))}
              </ul>
            </section>
          )}
        </aside>
      </div>
      <section aria-labelledby="tl-title" class="card">
        <h2 id="tl-title">{t('timeline')}</h2>
        <Loading error={timeline.error} loading={timeline.loading && !timeline.data} />
        {timeline.data && (
          <>
            <ol class="timeline" data-testid="timeline">
              {timeline.data.transitions.map((e) => (
                <li key={e.seq} data-action={e.action}>
                  <time dateTime={e.at}>{formatTime(e.at)}</time> <strong>{tx(e.action)}</strong>{' '}
                  <span class="muted">{stepName(e.from)} → {stepName(e.to)}</span>{' '}
                  · {e.actor.type === 'system' ? t('system') : `${names.get(e.actor.id ?? '') ?? ''} (${[department(e.actor.departmentId), e.actor.role ? roleName(e.actor.role) : ''].filter(Boolean).join(' · ')})`}
                  {e.actor.onBehalfOf && <span class="muted"> {t('onBehalfOf')} {names.get(e.actor.onBehalfOf) ?? e.actor.onBehalfOf}</span>}
                  {e.action === 'edit' && e.version && <EditChanges documentId={d.id} version={e.version} />}
                  {e.comment && <blockquote translate={false}>{e.comment}</blockquote>}
                </li>
              ))}
            </ol>
            <h3>{t('stays')}</h3>
            <ScrollBox label={t('stays')}>
              <table>
                <thead><tr><th scope="col">{t('step')}</th><th scope="col">{t('enteredAt')}</th><th scope="col">{t('leftAt')}</th><th scope="col">{t('hours')}</th><th scope="col">{t('dueAt')}</th></tr></thead>
                <tbody>
                  {timeline.data.stays.map((s, i) => (
                    <tr key={i}>
                      <td>{pick(s.name)}{s.round > 1 && <span class="muted"> · {s.round}</span>}</td>
                      <td>{formatTime(s.enteredAt)}</td>
                      <td>{formatTime(s.leftAt)}</td>
                      <td>{s.hours}</td>
                      <td>{s.dueAt ? formatTime(s.dueAt) : '—'} {s.met === true && <span class="tag tag-green">{t('met')}</span>}{s.met === false && <span class="tag tag-red">{t('late')}</span>}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollBox>
            <TimelineMilestones milestones={timeline.data.milestones ?? []} />
          </>
        )}
      </section>
    </article>
  );
}

/** The report's text, its section headings (一、… up to the first 。, as the content check reads them) as headings. */
function Content({ text }: { text: string }) {
  return (
    <div class="content" data-testid="doc-content" lang="zh-CN">
      {text.split('\n').map((line, i) => {
        const m = line.match(/^\s*([一二三四五六七八九十]+、[^。]*。?)(.*)$/);
        if (m) return <Fragment key={i}><h3 class="section">{m[1]}</h3>{m[2]!.trim() && <p>{m[2]}</p>}</Fragment>;
        return line.trim() ? <p key={i}>{line}</p> : null;
      })}
    </div>
  );
}

function Actions({ doc, allowed, users, me, act, stepName }: { doc: Doc; allowed: AllowedAction[]; users: User[]; me: Me; act: (label: string, run: () => Promise<unknown>) => Promise<void>; stepName: (key: string) => string }) {
  const [comment, setComment] = useState('');
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState(false);
  const [returnTo, setReturnTo] = useState('');
  const [delegateTo, setDelegateTo] = useState('');
  const [delegateNote, setDelegateNote] = useState('');
  const [editing, setEditing] = useState(false);
  const [title, setTitle] = useState(doc.title);
  const [content, setContent] = useState(doc.content ?? '');
  const [url, setUrl] = useState('');
  const [publishedOn, setPublishedOn] = useState(serverToday);
  const byName = (a: string) => allowed.find((x) => x.action === a);
  const decisions = allowed.filter((a) => a.taskId && !['delegate', 'add-signer', 'return'].includes(a.action));
  const ret = byName('return');
  const delegate = byName('delegate');
  const docActions = allowed.filter((a) => !a.taskId && ['submit', 'withdraw', 'urge'].includes(a.action));
  const disclosure = byName('record-disclosure');
  const canEdit = !!byName('submit');
  // A role task goes only to another holder of that role in the task's department (the API refuses anyone else).
  const delegateTask = doc.openTasks?.find((x) => x.id === delegate?.taskId);
  const delegates = users.filter((u) => u.id !== me.id && (!delegateTask?.assignee.role || (u.roles ?? []).some((r) => r.role === delegateTask.assignee.role && r.departmentId === delegateTask.departmentId)));
  const decide = (a: AllowedAction, body: Record<string, unknown>) => act(tx(a.action), () => post(`/api/tasks/${a.taskId}/decision`, { decision: a.action, expectedVersion: doc.version, ...body }));
  return (
    <section aria-labelledby="actions-title" class="card actions">
      <h2 id="actions-title">{t('actions')}</h2>
      {decisions.length > 0 && (
        <form class="action-block" onSubmit={(e) => e.preventDefault()} aria-label={t('approve')}>
          <label for="decision-comment">{t('commentOptional')}</label>
          <textarea id="decision-comment" rows={2} value={comment} onInput={(e) => setComment(e.currentTarget.value)} />
          <div class="buttons">
            {decisions.map((a) => (
              <button key={a.action} type="button" class={a.action === 'approve' ? 'primary' : ''} onClick={() => decide(a, comment ? { comment } : {})}>
                {tx(a.action)}
              </button>
            ))}
          </div>
        </form>
      )}
      {ret && (
        <form
          class="action-block"
          noValidate
          aria-label={t('return')}
          onSubmit={(e) => {
            e.preventDefault();
            if (!reason.trim()) return setReasonError(true);
            setReasonError(false);
            void decide(ret, { comment: reason.trim(), ...(returnTo ? { returnTo } : {}) });
          }}
        >
          <label for="return-reason">{t('reason')}</label>
          <textarea id="return-reason" rows={2} required aria-required="true" aria-invalid={reasonError} aria-describedby={reasonError ? 'return-reason-error' : undefined} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
          {reasonError && <p id="return-reason-error" class="error" role="alert">{t('reasonRequired')}</p>}
          {!!ret.returnTo?.length && ret.returnTo.length > 1 && (
            <>
              <label for="return-to">{t('returnTo')}</label>
              <select id="return-to" value={returnTo} onChange={(e) => setReturnTo(e.currentTarget.value)}>
                <option value="">—</option>
                {ret.returnTo.map((s) => <option key={s} value={s}>{stepName(s)}</option>)}
              </select>
            </>
          )}
          <div class="buttons"><button type="submit" class="danger">{t('return')}</button></div>
        </form>
      )}
      {delegate && (
        <form
          class="action-block"
          aria-label={t('delegate')}
          onSubmit={(e) => {
            e.preventDefault();
            if (!delegateTo) return;
            void act(t('delegate'), () => post(`/api/tasks/${delegate.taskId}/delegate`, { toUserId: delegateTo, comment: delegateNote.trim() || (lang === 'zh' ? '请代为办理' : 'Please handle this') }));
          }}
        >
          <label for="delegate-to">{t('delegateTo')}</label>
          <select id="delegate-to" required value={delegateTo} onChange={(e) => setDelegateTo(e.currentTarget.value)}>
            <option value="">{t('chooseUser')}</option>
            {delegates.map((u) => <option key={u.id} value={u.id} translate={false}>{pick(u.displayName)} ({u.username})</option>)}
          </select>
          <label for="delegate-note">{t('delegateNote')}</label>
          <input id="delegate-note" value={delegateNote} onInput={(e) => setDelegateNote(e.currentTarget.value)} />
          <div class="buttons"><button type="submit">{t('delegate')}</button></div>
        </form>
      )}
      {canEdit && !editing && <button type="button" onClick={() => setEditing(true)}>{t('edit')}</button>}
      {canEdit && editing && (
        <form
          class="action-block"
          aria-label={t('edit')}
          onSubmit={(e) => {
            e.preventDefault();
            void act(t('save'), () => api('PATCH', `/api/documents/${doc.id}`, { title, content, expectedVersion: doc.version })).then(() => setEditing(false));
          }}
        >
          <label for="edit-title">{t('title')}</label>
          <input id="edit-title" required value={title} onInput={(e) => setTitle(e.currentTarget.value)} />
          <label for="edit-content">{t('content')}</label>
          <textarea id="edit-content" rows={16} value={content} onInput={(e) => setContent(e.currentTarget.value)} />
          <div class="buttons">
            <button type="submit" class="primary">{t('save')}</button>
            <button type="button" onClick={() => setEditing(false)}>{t('cancel')}</button>
          </div>
        </form>
      )}
      {docActions.length > 0 && !editing && (
        <div class="buttons">
          {docActions.map((a) => (
            <button key={a.action} type="button" class={a.action === 'submit' ? 'primary' : ''}
              onClick={() => act(tx(a.action), () => (a.action === 'urge' ? post(`/api/documents/${doc.id}/urge`, {}) : post(`/api/documents/${doc.id}/actions`, { action: a.action, expectedVersion: doc.version })))}>
              {tx(a.action)}
            </button>
          ))}
        </div>
      )}
      {disclosure && (
        <form class="action-block" aria-label={t('record-disclosure' as Key)}
          onSubmit={(e) => {
            e.preventDefault();
            void act(tx('record-disclosure'), () => post(`/api/documents/${doc.id}/actions`, { action: 'record-disclosure', expectedVersion: doc.version, disclosure: { url, publishedOn } }));
          }}>
          <label for="disclosure-url">{t('disclosureUrl')}</label>
          <input id="disclosure-url" type="url" required value={url} onInput={(e) => setUrl(e.currentTarget.value)} />
          <label for="disclosure-date">{t('publishedOn')}</label>
          <input id="disclosure-date" type="date" required value={publishedOn} onInput={(e) => setPublishedOn(e.currentTarget.value)} />
          <div class="buttons"><button type="submit" class="primary">{tx('record-disclosure')}</button></div>
        </form>
      )}
    </section>
  );
}
