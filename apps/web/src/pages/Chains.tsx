import { useEffect, useState } from 'preact/hooks';
import { errorText, get, post } from '../api';
import { Diagram } from '../Diagram';
import { lang, pick, roleName, t } from '../i18n';
import { linkProps } from '../router';
import { Alert, Loading, ScrollBox, useLoad } from '../util';
import { ChainMigration } from './ChainMigration';

type Json = Record<string, any>;
interface ChainItem { key: string; name: string; latestVersion: number }
interface Validation { valid: boolean; errors: { path: string; reason: string }[]; warnings: unknown[] }
const ROLES = ['drafter', 'legal-counsel', 'party-secretary', 'leader', 'rule-of-law-office', 'supervisor', 'admin'];

/** steps[3].assignee.role → 3 */
const stepIndex = (path: string) => {
  const m = path.match(/^steps\[(\d+)\]/);
  return m ? Number(m[1]) : null;
};

/** The step form's fields an error's path points to, by what follows `steps[i]`; none for what the form does not edit (transitions, conditions). */
const FIELDS: [RegExp, string[]][] = [
  [/^\.key$/, ['key']],
  [/^\.name$/, ['zh', 'en']],
  [/^\.name\.zh$/, ['zh']],
  [/^\.name\.en$/, ['en']],
  [/^\.(final|editable)$/, ['kind']],
  [/^\.assignee$/, ['kind', 'role']],
  [/^\.assignee\.role$/, ['role']],
  [/^\.assignee\.department$/, ['dept']],
  [/^\.deadline$/, ['unit', 'deadline']],
  [/^\.deadline\./, ['deadline']],
  [/^\.reminders\b/, ['reminders']],
  [/^\.escalation$/, ['esc-role']],
  [/^\.escalation\.to\b/, ['esc-role']],
  [/^\.escalation\.after(WorkingDays|Seconds)$/, ['esc-after']],
];
const fieldsOf = (path: string) => {
  const rest = path.replace(/^steps\[\d+\]/, '');
  return FIELDS.filter(([re]) => re.test(rest)).flatMap(([, fields]) => fields);
};

export function Chains({ chainKey }: { chainKey?: string }) {
  const chains = useLoad(() => get<{ items: ChainItem[] }>('/api/chains'), []);
  return (
    <section aria-labelledby="chains-title">
      <h1 id="chains-title">{t('chainsTitle')}</h1>
      <Loading error={chains.error} loading={chains.loading && !chains.data} />
      <ScrollBox label={t('chainsTitle')}>
        <table data-testid="chains">
          <thead><tr><th scope="col">{t('chain')}</th><th scope="col">{t('chainKeyCol')}</th><th scope="col">{t('latest')}</th></tr></thead>
          <tbody>
            {(chains.data?.items ?? []).map((c) => (
              <tr key={c.key} aria-current={c.key === chainKey ? 'true' : undefined}>
                <td><a {...linkProps(`/chains/${encodeURIComponent(c.key)}`)}>{pick(c.name)}</a></td>
                <td><code translate={false}>{c.key}</code></td>
                <td>v{c.latestVersion}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollBox>
      {chainKey && chains.data && (
        <ChainDetail key={chainKey} chain={chains.data.items.find((c) => c.key === chainKey) ?? { key: chainKey, name: chainKey, latestVersion: 1 }} onPublished={chains.reload} />
      )}
    </section>
  );
}

function ChainDetail({ chain, onPublished }: { chain: ChainItem; onPublished: () => void }) {
  // The version picked, or null for the latest: after a publish the list reloads and the new version is shown.
  const [picked, setPicked] = useState<number | null>(null);
  const version = picked ?? chain.latestVersion;
  const [published, setPublished] = useState('');
  const def = useLoad(() => get<{ version: number; definition: Json }>(`/api/chains/${encodeURIComponent(chain.key)}/versions/${version}`), [chain.key, version]);
  const diagram = useLoad(() => get<{ source: string }>(`/api/chains/${encodeURIComponent(chain.key)}/versions/${version}/diagram?lang=${lang}`), [chain.key, version]);
  return (
    <>
      <section class="card" aria-labelledby="versions-title">
        <h2 id="versions-title">{pick(chain.name)} · {t('versions')}</h2>
        <label for="chain-version">{t('version')}</label>
        <select id="chain-version" value={version} onChange={(e) => { setPublished(''); setPicked(Number(e.currentTarget.value)); }}>
          {Array.from({ length: chain.latestVersion }, (_, i) => chain.latestVersion - i).map((v) => <option key={v} value={v}>v{v}</option>)}
        </select>
        <h3>{t('diagram')}</h3>
        {diagram.data ? <Diagram source={diagram.data.source} label={`${t('diagram')}: ${chain.key} v${version}`} /> : <Loading error={diagram.error} loading={diagram.loading} />}
      </section>
      <ChainMigration chain={chain} />
      <Loading error={def.error} loading={def.loading && !def.data} />
      {/* Keyed by the version loaded, not the one asked for: a new editor once its definition is here. */}
      {def.data && (
        <Editor key={`${chain.key}@${def.data.version}`} initial={def.data.definition} published={published}
          onPublished={(res) => {
            setPublished(`${t('published')}: ${res.key} v${res.version}`);
            if (res.key === chain.key) setPicked(null);
            onPublished();
          }} />
      )}
    </>
  );
}

/** `published`: what the last publish from this chain's page made, said until this editor has news of its own. */
function Editor({ initial, published, onPublished }: { initial: Json; published: string; onPublished: (res: { key: string; version: number }) => void }) {
  const [definition, setDefinition] = useState<Json>(() => structuredClone(initial));
  const [mode, setMode] = useState<'form' | 'json'>('form');
  const [text, setText] = useState(() => JSON.stringify(initial, null, 2));
  const [jsonError, setJsonError] = useState('');
  const [validation, setValidation] = useState<Validation | null>(null);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  useEffect(() => { if (mode === 'json') setText(JSON.stringify(definition, null, 2)); }, [mode]);
  /** The definition as it stands in whichever editor is open. */
  const current = (): Json | null => {
    if (mode === 'form') return definition;
    try {
      const parsed = JSON.parse(text);
      setJsonError('');
      return parsed;
    } catch (err) {
      setJsonError(`${t('jsonError')}: ${(err as Error).message}`);
      return null;
    }
  };
  const switchTo = (next: 'form' | 'json') => {
    if (next === mode) return;
    if (next === 'form') {
      const parsed = current();
      if (!parsed) return;
      setDefinition(parsed);
    }
    setMode(next);
  };
  const steps: Json[] = Array.isArray(definition.steps) ? definition.steps : [];
  const setStep = (i: number, change: (s: Json) => void) => {
    const next = structuredClone(definition);
    change(next.steps[i]);
    setDefinition(next);
  };
  const validate = async () => {
    const body = current();
    if (!body) return;
    setMessage(null);
    setValidation(null);
    try {
      setValidation(await post<Validation>('/api/chains/validate', body));
    } catch (err) {
      setMessage({ kind: 'error', text: errorText(err) });
    }
  };
  const publish = async () => {
    const body = current();
    if (!body) return;
    setMessage(null);
    try {
      const res = await post<{ key: string; version: number }>('/api/chains', body);
      onPublished(res);
    } catch (err) {
      setMessage({ kind: 'error', text: errorText(err) });
    }
  };
  const errorsAt = (i: number) => (validation?.errors ?? []).filter((e) => stepIndex(e.path) === i);
  const general = (validation?.errors ?? []).filter((e) => stepIndex(e.path) === null || stepIndex(e.path)! >= steps.length || mode === 'json');
  return (
    <section class="card" aria-labelledby="editor-title">
      <h2 id="editor-title">{t('editAsNew')}</h2>
      <div role="tablist" class="tabs" aria-label={t('editAsNew')}>
        <button type="button" role="tab" aria-selected={mode === 'form'} onClick={() => switchTo('form')}>{t('formEditor')}</button>
        <button type="button" role="tab" aria-selected={mode === 'json'} onClick={() => switchTo('json')}>{t('jsonEditor')}</button>
      </div>
      {mode === 'json' ? (
        <>
          <label for="chain-json">JSON</label>
          <textarea id="chain-json" class="code" rows={24} spellcheck={false} value={text} onInput={(e) => setText(e.currentTarget.value)}
            aria-invalid={!!jsonError || general.length > 0} aria-describedby={general.length ? 'chain-errors' : undefined} />
          {jsonError && <Alert kind="error">{jsonError}</Alert>}
        </>
      ) : (
        <ol class="steps">
          {steps.map((s, i) => {
            const kind = s.final ? 'final' : s.editable ? 'editable' : s.assignee || s.assignees ? 'task' : 'waiting';
            const unit = s.deadline ? (['workingDays', 'calendarDays', 'seconds'].find((u) => u in s.deadline) ?? '') : '';
            const errs = errorsAt(i);
            const idp = `step-${i}`;
            const bad = new Set(errs.flatMap((e) => fieldsOf(e.path)));
            // A field an error points to is marked invalid and described by the step's list of errors.
            const field = (name: string) => ({ id: `${idp}-${name}`, 'aria-invalid': bad.has(name) || undefined, 'aria-describedby': bad.has(name) ? `${idp}-errors` : undefined });
            return (
              <li key={i} class={errs.length ? 'step card step-invalid' : 'step card'} data-step={s.key} aria-describedby={errs.length ? `${idp}-errors` : undefined}>
                <fieldset>
                  <legend>{i + 1}. {pick(s.name) || s.key}</legend>
                  {errs.length > 0 && (
                    <ul id={`${idp}-errors`} class="error" role="alert" data-testid="step-errors">
                      {errs.map((e, j) => <li key={j}><code>{e.path}</code>: {e.reason}</li>)}
                    </ul>
                  )}
                  <div class="row">
                    <div><label for={`${idp}-key`}>{t('stepKey')}</label><input {...field('key')} value={s.key} onInput={(e) => setStep(i, (x) => (x.key = e.currentTarget.value))} /></div>
                    <div><label for={`${idp}-zh`}>{t('stepNameZh')}</label><input {...field('zh')} value={s.name?.zh ?? ''} onInput={(e) => setStep(i, (x) => (x.name = { ...x.name, zh: e.currentTarget.value }))} /></div>
                    <div><label for={`${idp}-en`}>{t('stepNameEn')}</label><input {...field('en')} value={s.name?.en ?? ''} onInput={(e) => setStep(i, (x) => (x.name = { ...x.name, en: e.currentTarget.value }))} /></div>
                    <div>
                      <label for={`${idp}-kind`}>{t('kind')}</label>
                      <select {...field('kind')} value={kind} onChange={(e) => setStep(i, (x) => {
                        const k = e.currentTarget.value;
                        delete x.final; delete x.editable;
                        if (k === 'final') { x.final = true; delete x.assignee; }
                        if (k === 'editable') { x.editable = true; delete x.assignee; }
                        if (k === 'waiting') delete x.assignee;
                        if (k === 'task' && !x.assignee && !x.assignees) x.assignee = { role: 'legal-counsel', department: 'document' };
                      })}>
                        <option value="task">{t('kindTask')}</option>
                        <option value="editable">{t('kindEditable')}</option>
                        <option value="waiting">{t('kindWaiting')}</option>
                        <option value="final">{t('kindFinal')}</option>
                      </select>
                    </div>
                  </div>
                  {s.assignee && (
                    <div class="row">
                      <div>
                        <label for={`${idp}-role`}>{t('assigneeRole')}</label>
                        <select {...field('role')} value={s.assignee.role} onChange={(e) => setStep(i, (x) => (x.assignee.role = e.currentTarget.value))}>
                          {(ROLES.includes(s.assignee.role) ? ROLES : [s.assignee.role, ...ROLES]).map((r) => <option key={r} value={r}>{roleName(r)} ({r})</option>)}
                        </select>
                      </div>
                      <div>
                        <label for={`${idp}-dept`}>{t('assigneeDept')}</label>
                        <select {...field('dept')} value={s.assignee.department} onChange={(e) => setStep(i, (x) => (x.assignee.department = e.currentTarget.value))}>
                          <option value="document">{t('deptDocument')}</option>
                          <option value="office">{t('deptOffice')}</option>
                        </select>
                      </div>
                    </div>
                  )}
                  {s.assignees && <p class="muted">{t('assignee')}: {JSON.stringify(s.assignees)} · {s.signing} ({t('jsonEditor')})</p>}
                  {kind !== 'final' && (
                    <div class="row">
                      <div>
                        <label for={`${idp}-unit`}>{t('deadlineUnit')}</label>
                        <select {...field('unit')} value={unit} onChange={(e) => setStep(i, (x) => {
                          const u = e.currentTarget.value;
                          const n = x.deadline ? Number(Object.values(x.deadline)[0]) || 5 : 5;
                          if (!u) delete x.deadline; else x.deadline = { [u]: n };
                        })}>
                          <option value="">{t('none')}</option>
                          <option value="workingDays">{t('workingDays')}</option>
                          <option value="calendarDays">{t('calendarDays')}</option>
                          <option value="seconds">{t('seconds')}</option>
                          {s.deadline && !unit && <option value="" disabled>{JSON.stringify(s.deadline)}</option>}
                        </select>
                      </div>
                      {unit && (
                        <div><label for={`${idp}-deadline`}>{t('deadline')}</label><input {...field('deadline')} type="number" min={1} value={s.deadline[unit]} onInput={(e) => setStep(i, (x) => (x.deadline = { [unit]: Number(e.currentTarget.value) }))} /></div>
                      )}
                      <div>
                        <label for={`${idp}-reminders`}>{t('reminders')}</label>
                        <input {...field('reminders')} value={(s.reminders ?? []).map((r: Json) => r.workingDaysBefore ?? `${r.secondsBefore}s`).join(', ')}
                          onChange={(e) => setStep(i, (x) => {
                            const list = e.currentTarget.value.split(/[,，\s]+/).filter(Boolean).map((v) => (v.endsWith('s') ? { secondsBefore: Number(v.slice(0, -1)) } : { workingDaysBefore: Number(v) }));
                            if (list.length) x.reminders = list; else delete x.reminders;
                          })} />
                      </div>
                      <div>
                        <label for={`${idp}-esc-role`}>{t('escalationRole')}</label>
                        <select {...field('esc-role')} value={s.escalation?.to?.role ?? ''} onChange={(e) => setStep(i, (x) => {
                          const r = e.currentTarget.value;
                          if (!r) delete x.escalation; else x.escalation = { ...(x.escalation ?? { afterWorkingDays: 1 }), to: { role: r, department: x.escalation?.to?.department ?? 'document' } };
                        })}>
                          <option value="">{t('none')}</option>
                          {ROLES.map((r) => <option key={r} value={r}>{roleName(r)}</option>)}
                        </select>
                      </div>
                      {s.escalation && (
                        <div><label for={`${idp}-esc-after`}>{t('escalationAfter')}</label><input {...field('esc-after')} type="number" min={0} value={s.escalation.afterWorkingDays ?? ''} onInput={(e) => setStep(i, (x) => (x.escalation.afterWorkingDays = Number(e.currentTarget.value)))} /></div>
                      )}
                    </div>
                  )}
                  <p class="muted">{t('transitions')}: {(s.transitions ?? []).map((tr: Json) => `${tr.action} → ${tr.to}`).join('；') || '—'}</p>
                  <div class="buttons">
                    <button type="button" disabled={i === 0} onClick={() => { const n = structuredClone(definition); [n.steps[i - 1], n.steps[i]] = [n.steps[i], n.steps[i - 1]]; setDefinition(n); }}>{t('moveUp')}</button>
                    <button type="button" disabled={i === steps.length - 1} onClick={() => { const n = structuredClone(definition); [n.steps[i + 1], n.steps[i]] = [n.steps[i], n.steps[i + 1]]; setDefinition(n); }}>{t('moveDown')}</button>
                    <button type="button" class="danger" onClick={() => { const n = structuredClone(definition); n.steps.splice(i, 1); setDefinition(n); }}>{t('removeStep')}</button>
                  </div>
                </fieldset>
              </li>
            );
          })}
          <li>
            <button type="button" onClick={() => { const n = structuredClone(definition); n.steps = [...(n.steps ?? []), { key: `step-${steps.length + 1}`, name: { zh: '新环节', en: 'New step' }, assignee: { role: 'leader', department: 'document' }, transitions: [] }]; setDefinition(n); }}>{t('addStep')}</button>
          </li>
        </ol>
      )}
      {validation && (validation.valid
        ? <Alert kind="ok"><span data-testid="validation" data-valid="true">✓ {t('valid')}</span></Alert>
        : <div class="error" role="alert" data-testid="validation" data-valid="false">✗ {t('invalid')} ({validation.errors.length})</div>)}
      {general.length > 0 && (
        <ul id="chain-errors" class="error">{general.map((e, j) => <li key={j}><code>{e.path}</code>: {e.reason}</li>)}</ul>
      )}
      {message ? <Alert kind={message.kind}>{message.text}</Alert> : published && <Alert kind="ok">{published}</Alert>}
      <div class="buttons">
        <button type="button" onClick={validate}>{t('validate')}</button>
        <button type="button" class="primary" onClick={publish}>{t('publish')}</button>
      </div>
    </section>
  );
}
