import { useState } from 'preact/hooks';
import { errorText, get, isGlobalAdmin, query, request, serverToday, type AuditEntry, type Me, type MilestoneStanding, type Page } from '../api';
import { formatDate, formatTime, lang, pick, roleName, stateName, t, tx, type Key } from '../i18n';
import { linkProps } from '../router';
import { Alert, Loading, ScrollBox, useLoad } from '../util';
import { actionName, attemptedName, KNOWN_ACTIONS, resultName, TreeHeads, VerifyResult, type Verify } from './AuditLog';
import { MilestoneMark } from './document/Milestones';

interface Filters { documentId: string; actorId: string; departmentId: string; action: string; category: string; from: string; to: string }
interface Names { people: Record<string, string>; departments: Record<string, string> }
const EMPTY: Filters = { documentId: '', actorId: '', departmentId: '', action: '', category: '', from: '', to: '' };
interface Overview {
  year: number; milestones: { key: string; name: { zh: string; en: string }; dueAt: string }[];
  departments: { departmentId: string; departmentName: string; documentId: string | null; title: string | null; state: string | null; milestones: MilestoneStanding[] }[];
  onTimeRate: { departmentId: string; due: number; met: number; rate: number | null }[];
  stepDurations: { step: string; name: { zh: string; en: string }; count: number; medianHours: number | null }[];
}

interface Person { id: string; displayName: string; roles: { role: string; departmentId: string | null }[] }

/** Everyone the caller may see (GET /api/users, a page of 200 at a time), for the person picker. */
async function everyone(): Promise<Person[]> {
  const all: Person[] = [];
  for (let cursor: string | null = null, pages = 0; pages < 25; pages++) {
    const page: Page<Person> = await get<Page<Person>>(`/api/users${query({ limit: 200, cursor })}`);
    all.push(...page.items);
    if (!(cursor = page.nextCursor)) break;
  }
  return all;
}
const byName = (a: string, b: string) => a.localeCompare(b, lang === 'zh' ? 'zh-CN' : 'en');

/** `<input type="datetime-local">` is local time; the API wants UTC ISO-8601. */
const iso = (local: string) => (local ? new Date(local).toISOString() : '');

export function Audit() {
  const [draft, setDraft] = useState<Filters>(EMPTY);
  const [filters, setFilters] = useState<Filters>(EMPTY);
  const [extra, setExtra] = useState<AuditEntry[]>([]);
  // Names of the people and departments the entries shown mention (each page answers its own).
  const [names, setNames] = useState<Names>({ people: {}, departments: {} });
  const [cursor, setCursor] = useState<string | null>(null);
  const params = (f: Filters) => ({ ...f, from: iso(f.from), to: iso(f.to) });
  const search = useLoad(async () => {
    const page = await get<Page<AuditEntry> & Names>(`/api/audit${query({ ...params(filters), limit: 50 })}`);
    setExtra([]);
    setNames({ people: page.people, departments: page.departments });
    setCursor(page.nextCursor);
    return page;
  }, [filters]);
  const me = useLoad(() => get<Me>('/api/me'), []);
  // The pickers: people and departments by name (the list routes), actions by name.
  const people = useLoad(() => everyone().catch(() => [] as Person[]), []);
  const departmentList = useLoad(() => get<{ items: { id: string; name: string }[] }>('/api/departments'), []);
  const [verify, setVerify] = useState<Verify | null>(null);
  const [verifyError, setVerifyError] = useState('');
  const [exportError, setExportError] = useState('');
  // The reports on last year (by the server's clock) are the latest whose dates have passed or come next.
  const [year, setYear] = useState(() => Number(serverToday().slice(0, 4)) - 1);
  const [shownYear, setShownYear] = useState(year);
  const overview = useLoad(() => get<Overview>(`/api/supervision/overview${query({ chain: 'annual-report', year: shownYear })}`), [shownYear]);
  const field = (k: keyof Filters) => ({ id: `audit-${k}`, value: draft[k], onInput: (e: Event) => setDraft({ ...draft, [k]: (e.currentTarget as HTMLInputElement).value }) });
  const more = async () => {
    if (!cursor) return;
    const page = await get<Page<AuditEntry> & Names>(`/api/audit${query({ ...params(filters), limit: 50, cursor })}`);
    setExtra([...extra, ...page.items]);
    setNames({ people: { ...names.people, ...page.people }, departments: { ...names.departments, ...page.departments } });
    setCursor(page.nextCursor);
  };
  const doVerify = async () => {
    setVerify(null);
    setVerifyError('');
    try {
      setVerify(await get<Verify>('/api/audit/verify'));
    } catch (err) {
      setVerifyError(errorText(err));
    }
  };
  const doExport = async (format: 'csv' | 'jsonl') => {
    setExportError('');
    try {
      // The export needs the bearer token, so it is fetched and handed to the browser as a file.
      const res = await request('GET', `/api/audit/export${query({ ...params(filters), format })}`);
      const url = URL.createObjectURL(await res.blob());
      const a = document.createElement('a');
      a.href = url;
      a.download = `audit-${new Date().toISOString().slice(0, 10)}.${format}`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      setExportError(errorText(err));
    }
  };
  const entries = [...(search.data?.items ?? []), ...extra];
  const departmentOptions = (departmentList.data?.items ?? []).map((d) => ({ id: d.id, label: pick(d.name) })).sort((a, b) => byName(a.label, b.label));
  // A person by display name and department: two people of one name are told apart by where they work.
  const personOptions = (people.data ?? [])
    .map((p) => {
      const depts = [...new Set(p.roles.map((r) => r.departmentId).filter((d): d is string => !!d))].map((d) => pick(departmentList.data?.items.find((x) => x.id === d)?.name ?? d));
      return { id: p.id, label: [pick(p.displayName), ...depts].join(' · ') };
    })
    .sort((a, b) => byName(a.label, b.label));
  if (draft.actorId && !personOptions.some((o) => o.id === draft.actorId)) personOptions.unshift({ id: draft.actorId, label: names.people[draft.actorId] ? pick(names.people[draft.actorId]) : t('system') });
  const actionOptions = [...new Set([...KNOWN_ACTIONS, ...entries.map((e) => e.action), ...(draft.action ? [draft.action] : [])])]
    .map((a) => ({ id: a, label: actionName(a) }))
    .sort((a, b) => byName(a.label, b.label));
  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">{t('auditTitle')}</h1>

      <section aria-labelledby="overview-title" class="card">
        <h2 id="overview-title">{t('overview')}</h2>
        <p class="muted">{t('overviewHint')}</p>
        <form class="row" onSubmit={(e) => { e.preventDefault(); setShownYear(year); }}>
          <div>
            <label for="overview-year">{t('year')}</label>
            <input id="overview-year" type="number" min={2000} max={2100} value={year} onInput={(e) => setYear(Number(e.currentTarget.value))} />
          </div>
          <div class="buttons"><button type="submit">{t('show')}</button></div>
        </form>
        <Loading error={overview.error} loading={overview.loading && !overview.data} />
        {overview.data && (
          <ScrollBox label={t('overview')}>
            <table data-testid="overview">
              <thead>
                <tr>
                  <th scope="col">{t('departmentCol')}</th><th scope="col">{t('document')}</th><th scope="col">{t('state')}</th>
                  {overview.data.milestones.map((m) => <th scope="col" key={m.key}>{pick(m.name)}<br /><span class="muted">{formatDate(m.dueAt)}</span></th>)}
                  <th scope="col">{t('onTime')}</th>
                </tr>
              </thead>
              <tbody>
                {overview.data.departments.map((d) => {
                  const rate = overview.data!.onTimeRate.find((r) => r.departmentId === d.departmentId);
                  const late = d.milestones.some((m) => m.met === false) || !d.documentId;
                  return (
                    <tr key={d.departmentId} class={late ? 'row-late' : undefined} data-late={late ? 'true' : 'false'}>
                      <th scope="row">{pick(d.departmentName)}</th>
                      <td>{d.documentId ? <a translate={false} {...linkProps(`/documents/${d.documentId}`)}>{d.title}</a> : <span class="overdue">{t('missing')}</span>}</td>
                      <td data-state={d.state ?? ''}>{d.documentId && d.state ? stateName(d.state) : '—'}</td>
                      {overview.data!.milestones.map((om) => {
                        const m = d.milestones.find((x) => x.key === om.key);
                        return (
                          <td key={om.key}>
                            {/* Met on its day; still unreached past it (已逾期 N 天); reached late, on the day shown (逾期 N 天完成); not yet due. */}
                            {m?.met ? <span class="ok">✓ {formatDate(m.reachedAt)}</span>
                              : m?.overdue ? <MilestoneMark m={m} />
                              : m?.reachedAt ? <><span class="overdue">{formatDate(m.reachedAt)}</span> <MilestoneMark m={m} /></> : '—'}
                            {/* Recorded long after the publication date (补录): both dates. */}
                            {m?.disclosure?.recordedLate && <span class="tag tag-amber" data-testid="late-record"> {t('lateRecord')}: {t('publishedOn')} {m.disclosure.publishedOn}, {t('recordedAt')} {formatDate(m.disclosure.recordedAt)}</span>}
                          </td>
                        );
                      })}
                      <td>{rate?.rate == null ? '—' : `${Math.round(rate.rate * 100)}%`}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            <table>
              <caption>{t('medianHours')}</caption>
              <tbody>
                {overview.data.stepDurations.map((s) => <tr key={s.step}><th scope="row">{pick(s.name)}</th><td>{s.medianHours ?? '—'}</td><td class="muted">n={s.count}</td></tr>)}
              </tbody>
            </table>
          </ScrollBox>
        )}
      </section>

      <section aria-labelledby="verify-title" class="card">
        <h2 id="verify-title">{t('verify')}</h2>
        <div class="buttons">
          <button type="button" class="primary" onClick={doVerify}>{t('verify')}</button>
          <button type="button" onClick={() => doExport('csv')}>{t('exportCsv')}</button>
          <button type="button" onClick={() => doExport('jsonl')}>{t('exportJsonl')}</button>
        </div>
        {verify && <VerifyResult verify={verify} />}
        {verifyError && <Alert kind="error">{verifyError}</Alert>}
        {exportError && <Alert kind="error">{exportError}</Alert>}
      </section>

      <TreeHeads admin={isGlobalAdmin(me.data)} />

      <section aria-labelledby="search-title" class="card">
        <h2 id="search-title">{t('search')}</h2>
        <form class="filters" onSubmit={(e) => { e.preventDefault(); setFilters({ ...draft }); }}>
          <div><label for="audit-documentId">{t('documentId')}</label><input {...field('documentId')} /></div>
          <div>
            <label for="audit-actorId">{t('auditPerson')}</label>
            <select {...field('actorId')} onChange={(e) => setDraft({ ...draft, actorId: e.currentTarget.value })}>
              <option value="">{t('any')}</option>
              {personOptions.map((o) => <option key={o.id} value={o.id}>{o.label}</option>)}
            </select>
          </div>
          <div>
            <label for="audit-departmentId">{t('auditDept')}</label>
            <select {...field('departmentId')} onChange={(e) => setDraft({ ...draft, departmentId: e.currentTarget.value })}>
              <option value="">{t('any')}</option>
              {departmentOptions.map((o) => <option key={o.id} value={o.id}>{o.label}</option>)}
            </select>
          </div>
          <div>
            <label for="audit-action">{t('auditAction')}</label>
            <select {...field('action')} onChange={(e) => setDraft({ ...draft, action: e.currentTarget.value })}>
              <option value="">{t('any')}</option>
              {actionOptions.map((o) => <option key={o.id} value={o.id}>{o.label}</option>)}
            </select>
          </div>
          <div>
            <label for="audit-category">{t('category')}</label>
            <select {...field('category')} onChange={(e) => setDraft({ ...draft, category: e.currentTarget.value })}>
              <option value="">{t('any')}</option>
              {(['transition', 'configuration', 'security'] as Key[]).map((c) => <option key={c} value={c}>{t(c)}</option>)}
            </select>
          </div>
          <div><label for="audit-from">{t('fromTime')}</label><input type="datetime-local" {...field('from')} /></div>
          <div><label for="audit-to">{t('toTime')}</label><input type="datetime-local" {...field('to')} /></div>
          <div class="buttons"><button type="submit" class="primary">{t('search')}</button></div>
        </form>
        <Loading error={search.error} loading={search.loading && !search.data} />
        {search.data && entries.length === 0 && <p class="muted">{t('noResults')}</p>}
        {entries.length > 0 && (
          <ScrollBox label={t('auditTitle')}>
            <table data-testid="audit-results" class="audit">
              <thead>
                <tr><th scope="col">{t('seq')}</th><th scope="col">{t('at')}</th><th scope="col">{t('category')}</th><th scope="col">{t('action')}</th><th scope="col">{t('actor')}</th><th scope="col">{t('document')}</th><th scope="col">{t('from')} → {t('to')}</th><th scope="col">{t('hashCol')}</th></tr>
              </thead>
              <tbody>
                {entries.map((e) => (
                  <tr key={e.seq} data-action={e.action}>
                    <td>{e.seq}</td>
                    <td>{formatTime(e.at)}</td>
                    <td>{tx(e.category)}</td>
                    <td data-testid="audit-action">{actionName(e.action)}{attemptedName(e.details) && <span class="muted">{lang === 'zh' ? '（' : ' ('}{t('attempted')}{lang === 'zh' ? '' : ': '}{attemptedName(e.details)}{lang === 'zh' ? '）' : ')'}</span>}{e.result !== 'success' && <span class="tag tag-red" data-result={e.result}> {resultName(e.result)}</span>}</td>
                    <td>{e.actor.type === 'system' ? t('system') : <button type="button" class="link" title={t('onlyThisPerson')} onClick={() => { const f = { ...EMPTY, actorId: e.actor.id ?? '' }; setDraft(f); setFilters(f); }}>{[names.people[e.actor.id ?? ''] ? pick(names.people[e.actor.id ?? '']) : '', e.actor.departmentId ? pick(names.departments[e.actor.departmentId] ?? e.actor.departmentId) : '', e.actor.role ? roleName(e.actor.role) : ''].filter(Boolean).join(' · ') || (e.actor.id ?? '').slice(0, 8)}</button>}
                      {e.actor.onBehalfOf && <span class="muted"> {t('onBehalfOf')} {names.people[e.actor.onBehalfOf] ? pick(names.people[e.actor.onBehalfOf]) : '—'}</span>}</td>
                    <td>{e.documentId ? <><a translate={false} {...linkProps(`/documents/${e.documentId}`)} title={e.documentId}>{e.documentId.slice(-8)}</a> <button type="button" class="link" aria-label={t('onlyThisDocument')} title={t('onlyThisDocument')} onClick={() => { const f = { ...EMPTY, documentId: e.documentId! }; setDraft(f); setFilters(f); }}>⌕</button></> : '—'}</td>
                    <td class="muted">{stateName(e.from)} → {stateName(e.to)}</td>
                    <td><code translate={false}>{e.hash.slice(0, 10)}</code></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollBox>
        )}
        {cursor && <button type="button" onClick={more}>{t('loadMore')}</button>}
      </section>
    </section>
  );
}
