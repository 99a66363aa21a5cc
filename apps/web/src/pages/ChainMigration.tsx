/** 迁移运行中的文稿: a global administrator moves documents on older versions of a chain to a newer one (dry run, apply, result). */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, errorText, get, isGlobalAdmin, post, query, type Me, type Page } from '../api';
import { departmentName, errorMessage, fillIn, formatTime, lang, pick, t, versionName } from '../i18n';
import { linkProps } from '../router';
import { Alert, ScrollBox, useLoad } from '../util';

interface PlanItem { documentId: string; fromVersion: number; state: string; to: string | null; reason?: string; forced?: true }
interface Plan { chainKey: string; toVersion: number; total: number; movable: number; blocked: number; forced: number; items: PlanItem[] }
interface Progress {
  id: string; chainKey: string; toVersion: number; status: 'running' | 'finished'; total: number; done: number; failed: number;
  failures: { documentId: string; reason: string }[]; createdAt: string; finishedAt: string | null;
}
type Step = { key: string; name?: { zh: string; en: string }; final?: boolean };
interface DocInfo { title: string; departmentId: string }

/** How often the progress is asked for while a migration runs. */
const POLL_MS = 500;

/** The documents of a chain by id (titles for the plan's table), a page of 200 at a time. */
async function documentsOf(chainKey: string): Promise<Map<string, DocInfo>> {
  const found = new Map<string, DocInfo>();
  for (let cursor: string | null = null, pages = 0; pages < 25; pages++) {
    const page: Page<{ id: string; title: string; departmentId: string }> = await get(`/api/documents${query({ chain: chainKey, limit: 200, cursor })}`);
    for (const d of page.items) found.set(d.id, { title: d.title, departmentId: d.departmentId });
    if (!(cursor = page.nextCursor)) break;
  }
  return found;
}

export function ChainMigration({ chain }: { chain: { key: string; name: string; latestVersion: number } }) {
  const me = useLoad(() => get<Me>('/api/me'), []);
  if (!isGlobalAdmin(me.data) || chain.latestVersion < 2) return null;
  return <Migration key={`${chain.key}@${chain.latestVersion}`} chain={chain} />;
}

function Migration({ chain }: { chain: { key: string; name: string; latestVersion: number } }) {
  const [toVersion, setToVersion] = useState(chain.latestVersion);
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const [force, setForce] = useState(false);
  const [reason, setReason] = useState('');
  const [plan, setPlan] = useState<Plan | null>(null);
  const [refusal, setRefusal] = useState<{ text: string; fields: { field: string; reason: string }[] } | null>(null);
  const [busy, setBusy] = useState(false);
  const [steps, setSteps] = useState<Record<number, Step[]>>({});
  const [docs, setDocs] = useState<Map<string, DocInfo>>(new Map());
  const [progress, setProgress] = useState<Progress | null>(null);
  const [pollError, setPollError] = useState('');

  // The steps of each version the table names (their names in both languages), loaded once each.
  const versionsNeeded = [toVersion, ...new Set((plan?.items ?? []).map((i) => i.fromVersion))];
  useEffect(() => {
    const missing = versionsNeeded.filter((v) => !steps[v]);
    if (!missing.length) return;
    Promise.all(missing.map((v) => get<{ version: number; definition: { steps: Step[] } }>(`/api/chains/${encodeURIComponent(chain.key)}/versions/${v}`)))
      .then((loaded) => setSteps((s) => ({ ...s, ...Object.fromEntries(loaded.map((l) => [l.version, l.definition.steps])) })))
      .catch(() => undefined);
  }, [versionsNeeded.join(',')]);

  // While running, the progress row is asked for again until it says finished (after a failed request too: the next tick retries).
  const [pollTick, setPollTick] = useState(0);
  useEffect(() => {
    if (!progress || progress.status === 'finished') return;
    const timer = setTimeout(() => {
      get<Progress>(`/api/chains/migrations/${progress.id}`).then((p) => { setPollError(''); setProgress(p); }, (err) => { setPollError(errorText(err)); setPollTick((n) => n + 1); });
    }, POLL_MS);
    return () => clearTimeout(timer);
  }, [progress, pollTick]);

  const target = steps[toVersion] ?? [];
  const stepName = (key: string, version?: number) => {
    const s = (version !== undefined ? steps[version] : undefined)?.find((x) => x.key === key) ?? target.find((x) => x.key === key) ?? Object.values(steps).flat().find((x) => x.key === key);
    return s?.name ? pick(s.name) : key;
  };
  /** The API's reason (chain-migration.use-case.ts) in the page's language, with steps by name. */
  const why = (text: string) => {
    let m: RegExpMatchArray | null;
    if ((m = text.match(/^version (\d+) has no step "(.+?)": map "(.+?)"/))) return fillIn(t('migNoStep'), { v: m[1]!, to: stepName(m[2]!), state: stepName(m[3]!) });
    if ((m = text.match(/^"(.+?)" is a final step/))) return fillIn(t('migFinalStep'), { to: stepName(m[1]!) });
    if ((m = text.match(/^"(.+?)" comes after "(.+?)" in version/))) return fillIn(t('migSkip'), { to: stepName(m[1]!), last: stepName(m[2]!) });
    if ((m = text.match(/^no step before "(.+?)" is in version \d+: ".+?" may only map to the initial step "(.+?)"/))) return fillIn(t('migOnlyInitial'), { state: stepName(m[1]!), initial: stepName(m[2]!) });
    return text;
  };

  const body = (dryRun: boolean) => ({
    toVersion,
    dryRun,
    ...(Object.keys(mapping).length ? { mapping } : {}),
    ...(force ? { force: true, reason } : {}),
  });
  const refused = (err: unknown) => {
    const fields = err instanceof ApiError && Array.isArray(err.details) ? (err.details as { field: string; reason: string }[]).filter((d) => d && typeof d.field === 'string') : [];
    setRefusal({ text: err instanceof ApiError ? errorMessage(err.code) ?? errorText(err) : errorText(err), fields });
  };
  const dryRun = async () => {
    setBusy(true);
    setRefusal(null);
    setPlan(null);
    setProgress(null);
    try {
      const [answer, titles] = await Promise.all([post<Plan>(`/api/chains/${encodeURIComponent(chain.key)}/migrations`, body(true)), documentsOf(chain.key).catch(() => new Map<string, DocInfo>())]);
      setDocs(titles);
      setPlan(answer);
    } catch (err) {
      refused(err);
    } finally {
      setBusy(false);
    }
  };
  const apply = async () => {
    setBusy(true);
    setRefusal(null);
    try {
      setProgress(await post<Progress>(`/api/chains/${encodeURIComponent(chain.key)}/migrations`, body(false)));
    } catch (err) {
      refused(err);
    } finally {
      setBusy(false);
    }
  };
  /** A change of what would be asked: the last plan no longer says what applying would do. */
  const changed = () => { setPlan(null); setRefusal(null); setProgress(null); };

  // Steps of older versions the target lacks, as the plan found them (and those mapped already): each may be mapped.
  const unmapped = [...new Set([...(plan?.items ?? []).filter((i) => target.length && !target.some((s) => s.key === i.state)).map((i) => i.state), ...Object.keys(mapping)])];
  const title = (id: string) => docs.get(id)?.title ?? id.slice(-8);
  const running = progress?.status === 'running';

  return (
    <section class="card" aria-labelledby="migration-title" data-testid="migration">
      <h2 id="migration-title">{pick(chain.name)} · {t('migTitle')}</h2>
      <p class="muted">{t('migHint')}</p>
      <form onSubmit={(e) => { e.preventDefault(); void dryRun(); }}>
        <div class="row">
          <div>
            <label for="migration-to">{t('migTo')}</label>
            <select id="migration-to" value={toVersion} disabled={running} onChange={(e) => { setToVersion(Number(e.currentTarget.value)); setMapping({}); changed(); }}>
              {Array.from({ length: chain.latestVersion - 1 }, (_, i) => chain.latestVersion - i).map((v) => <option key={v} value={v}>{versionName(v)}</option>)}
            </select>
          </div>
        </div>
        {unmapped.length > 0 && (
          <fieldset>
            <legend>{t('migMapping')}</legend>
            <p class="muted">{t('migMappingHint')}</p>
            <div class="row">
              {unmapped.map((state) => (
                <div key={state}>
                  <label for={`migration-map-${state}`}>{stepName(state)} →</label>
                  <select id={`migration-map-${state}`} value={mapping[state] ?? ''} disabled={running}
                    aria-invalid={refusal?.fields.some((f) => f.field === `mapping.${state}`) || undefined}
                    onChange={(e) => {
                      const next = { ...mapping };
                      if (e.currentTarget.value) next[state] = e.currentTarget.value; else delete next[state];
                      setMapping(next);
                      changed();
                    }}>
                    <option value="">{t('migKeepKey')}</option>
                    {target.filter((s) => !s.final).map((s) => <option key={s.key} value={s.key}>{pick(s.name) || s.key}</option>)}
                  </select>
                </div>
              ))}
            </div>
          </fieldset>
        )}
        <label class="inline"><input type="checkbox" checked={force} disabled={running} onChange={(e) => { setForce(e.currentTarget.checked); changed(); }} /> {t('migForce')}</label>
        {force && (
          <div>
            <label for="migration-reason">{t('migForceReason')}</label>
            <textarea id="migration-reason" rows={2} value={reason} disabled={running} onInput={(e) => { setReason(e.currentTarget.value); changed(); }}
              aria-invalid={refusal?.fields.some((f) => f.field === 'reason') || undefined} />
          </div>
        )}
        <div class="buttons">
          <button type="submit" disabled={busy || running}>{t('migDryRun')}</button>
          <button type="button" class="primary" disabled={busy || !!progress || !plan || plan.movable === 0} onClick={apply}>{t('migApply')}</button>
        </div>
      </form>
      {refusal && (
        <div class="error" role="alert" data-testid="migration-refused">
          <p>{refusal.text}</p>
          {refusal.fields.length > 0 && (
            <ul>{refusal.fields.map((f) => <li key={f.field}>{f.field.startsWith('mapping.') ? `${stepName(f.field.slice(8))}: ` : ''}{why(f.reason)}</li>)}</ul>
          )}
        </div>
      )}
      {plan && (
        <>
          <p role="status" data-testid="migration-summary">
            {t('migTotal')} {plan.total} · {t('migMovable')} {plan.movable} · {t('migBlocked')} {plan.blocked}{plan.forced ? ` · ${t('migForcedCount')} ${plan.forced}` : ''}
          </p>
          {plan.items.length === 0 ? <p class="muted">{t('migNothing')}</p> : (
            <ScrollBox label={t('migTitle')}>
              <table data-testid="migration-plan">
                <thead>
                  <tr><th scope="col">{t('document')}</th><th scope="col">{t('department')}</th><th scope="col">{t('migFromVersion')}</th><th scope="col">{t('migNow')}</th><th scope="col">{t('migLands')}</th></tr>
                </thead>
                <tbody>
                  {plan.items.map((i) => (
                    <tr key={i.documentId} data-document={i.documentId} data-to={i.to ?? ''}>
                      <th scope="row"><a {...linkProps(`/documents/${i.documentId}`)}>{title(i.documentId)}</a></th>
                      <td>{departmentName(docs.get(i.documentId)?.departmentId)}</td>
                      <td>{versionName(i.fromVersion)}</td>
                      <td>{stepName(i.state, i.fromVersion)}</td>
                      <td>{i.to
                        ? <>{stepName(i.to, plan.toVersion)}{i.forced && <span class="tag tag-amber"> {t('migForcedTag')}</span>}</>
                        : <span class="overdue">{t('migRefused')}{lang === 'zh' ? '：' : ': '}{why(i.reason ?? '')}</span>}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollBox>
          )}
        </>
      )}
      {progress && (
        <div data-testid="migration-progress" data-migration={progress.id} data-status={progress.status} data-done={progress.done} data-failed={progress.failed} data-total={progress.total}>
          <h3>{progress.status === 'finished' ? t('migFinished') : t('migProgress')}</h3>
          <label for="migration-bar">{t('migProgress')}</label>
          <progress id="migration-bar" max={Math.max(progress.total, 1)} value={progress.done + progress.failed} />
          <p role="status">
            {progress.status === 'running' && `${t('migRunning')} `}
            {progress.done + progress.failed} / {progress.total}
          </p>
          {progress.status === 'finished' && (
            <dl class="migration-result" data-testid="migration-result">
              <dt>{t('migMoved')}</dt><dd data-testid="migration-moved">{progress.done}</dd>
              <dt>{t('migNotMoved')}</dt><dd data-testid="migration-not-moved">{progress.failed}</dd>
              <dt>{t('migUntouched')}</dt><dd>{Math.max(0, progress.total - progress.done - progress.failed)}</dd>
              <dt>{t('migStarted')}</dt><dd>{formatTime(progress.createdAt)}</dd>
              <dt>{t('migFinishedAt')}</dt><dd>{formatTime(progress.finishedAt)}</dd>
            </dl>
          )}
          {progress.failures.length > 0 && (
            <ul class="error" data-testid="migration-failures">
              {progress.failures.map((f) => <li key={f.documentId}><a {...linkProps(`/documents/${f.documentId}`)}>{title(f.documentId)}</a>{lang === 'zh' ? '：' : ': '}{why(f.reason)}</li>)}
            </ul>
          )}
          {pollError && <Alert kind="error">{pollError}</Alert>}
        </div>
      )}
    </section>
  );
}
