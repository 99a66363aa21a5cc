import { useEffect, useMemo, useState } from 'preact/hooks';
import { errorText, get, post } from '../api';
import { Diagram } from '../Diagram';
import { fillIn, lang, pick, roleName, t, tx, versionName } from '../i18n';
import { linkProps } from '../router';
import { Alert, Loading, ScrollBox, useLoad } from '../util';
import { ChainMigration } from './ChainMigration';

type Json = Record<string, any>;
interface ChainItem { key: string; name: string; latestVersion: number }
interface Validation { valid: boolean; errors: Finding[]; warnings: Finding[] }
const ROLES = ['drafter', 'legal-counsel', 'party-secretary', 'leader', 'rule-of-law-office', 'supervisor', 'admin'];

/** steps[3].assignee.role → 3 */
const stepIndex = (path: string) => {
  const m = path.match(/^steps\[(\d+)\]/);
  return m ? Number(m[1]) : null;
};

/** The step form's fields an error's path points to, by what follows `steps[i]`; none for what the form does not edit (conditions, signers). */
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
  // A transition's target: its own select (`t0-to` for transitions[0]).
  const target = rest.match(/^\.transitions\[(\d+)\]\.to$/);
  return [...FIELDS.filter(([re]) => re.test(rest)).flatMap(([, fields]) => fields), ...(target ? [`t${target[1]}-to`] : [])];
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
                <td>{versionName(c.latestVersion)}</td>
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

// The editor's own imports (kept apart from the chain list's, above).
import { ApiError } from '../api';

/** A word of the dictionary, or undefined when it has none (`tx` answers the key itself). */
const word = (key: string): string | undefined => (tx(key) === key ? undefined : tx(key));
/** A transition by its own name, else the dictionary's name of its action; an action nobody named stays its key. */
const actionLabel = (tr: Json | undefined): string => (tr?.name ? pick(tr.name) : tx(String(tr?.action ?? '')));
const actionKnown = (tr: Json | undefined) => !!tr?.name || word(String(tr?.action ?? '')) !== undefined;
/** A step by its name in the page's language, found by key; an unknown key as itself. */
const stepLabel = (steps: Json[], key: string) => {
  const s = steps.find((x) => x?.key === key);
  return s ? pick(s.name) || s.key : key;
};

/** A finding of the lint (`POST /api/chains/validate`, or a refused publish's `details`), said in both languages. */
interface Finding { path: string; reason: string; message?: { zh: string; en: string } }
/** The finding in the page's language (the English reason where a finding has no message). */
const said = (f: Finding) => (f.message ? pick(f.message) : f.reason);
/** A finding's words, the keys and values it quotes (“legal-review”, "draft") marked as codes that are not translated. */
function Said({ f }: { f: Finding }) {
  return <>{said(f).split(/(“[^”]*”|"[^"]*")/).map((piece, j) => (j % 2 ? <>{piece[0]}<span translate={false}>{piece.slice(1, -1)}</span>{piece.at(-1)}</> : piece))}</>;
}

type Part = { text: string; code?: boolean };
const COLLECTION_ITEM: Record<string, string> = { steps: 'step', fields: 'field', milestones: 'milestone', sections: 'section' };
/**
 * Where a path points, in words: steps[1].transitions[0].to → 第2个环节 · 流转“通过” · 转至环节. `from`
 * skips that many leading parts (inside a step's own list, the step need not be named). A part the
 * dictionary does not know (an unknown property) stays a code.
 */
function whereWords(path: string, definition: Json, from = 0): Part[] {
  const tokens = [...path.matchAll(/([A-Za-z_$][\w$]*)|\[(\d+)\]/g)].map((m) => (m[1] !== undefined ? m[1] : Number(m[2])));
  const parts: Part[] = [];
  let node: any = definition;
  let context = 'chain';
  let parent = '';
  for (let k = 0; k < tokens.length; k++) {
    const token = tokens[k]!;
    const next = tokens[k + 1];
    if (typeof token === 'string' && typeof next === 'number') {
      const item = node?.[token]?.[next];
      parts.push(token === 'transitions' && item?.action
        ? { text: fillIn(t('at.transition'), { action: actionLabel(item) }) }
        : word(`at.nth.${token}`) ? { text: fillIn(tx(`at.nth.${token}`), { n: next + 1 }) } : { text: `${token}[${next}]`, code: true });
      context = COLLECTION_ITEM[token] ?? context;
      parent = token;
      node = item;
      k++;
      continue;
    }
    const name = String(token);
    const text = name === 'key' ? word(`at.${context}.key`) : name === 'to' && parent === 'escalation' ? t('at.escalationTo') : word(`at.${name}`);
    parts.push(text ? { text } : { text: name, code: true });
    parent = name;
    node = node?.[name];
  }
  const shown = parts.slice(from);
  return shown.length || from ? shown : [{ text: t('wholeDefinition') }];
}
function Where({ parts }: { parts: Part[] }) {
  return <>{parts.map((p, j) => <>{j > 0 && ' · '}{p.code ? <code translate={false}>{p.text}</code> : p.text}</>)}</>;
}
/** One finding: where it is in words (if anywhere), then what is wrong. */
function FindingItem({ f, parts }: { f: Finding; parts: Part[] }) {
  return <li data-path={f.path}>{parts.length > 0 && <><Where parts={parts} />{lang === 'zh' ? '：' : ': '}</>}<Said f={f} /></li>;
}

/** Definitions loaded so far on this page: each one's editor is keyed by its number. */
let definitionsLoaded = 0;

function ChainDetail({ chain, onPublished }: { chain: ChainItem; onPublished: () => void }) {
  // The version picked, or null for the latest: after a publish the list reloads and the new version is shown.
  const [picked, setPicked] = useState<number | null>(null);
  const version = picked ?? chain.latestVersion;
  const [published, setPublished] = useState<Published | null>(null);
  const def = useLoad(() => get<{ version: number; definition: Json }>(`/api/chains/${encodeURIComponent(chain.key)}/versions/${version}`), [chain.key, version]);
  // Each definition loaded gets an editor of its own: keyed by the version alone, picking v1 again right after
  // publishing v2 from an edited v1 (before v2 had loaded) kept the edits on screen as if they were v1.
  const loaded = useMemo(() => ++definitionsLoaded, [def.data]);
  const diagram = useLoad(() => get<{ source: string }>(`/api/chains/${encodeURIComponent(chain.key)}/versions/${version}/diagram?lang=${lang}`), [chain.key, version, lang]);
  return (
    <>
      <section class="card" aria-labelledby="versions-title">
        <h2 id="versions-title">{pick(chain.name)} · {t('versions')}</h2>
        <p class="muted">{t('chainKeyLabel')}: <code translate={false}>{chain.key}</code></p>
        <label for="chain-version">{t('version')}</label>
        <select id="chain-version" value={version} onChange={(e) => { setPublished(null); setPicked(Number(e.currentTarget.value)); }}>
          {Array.from({ length: chain.latestVersion }, (_, i) => chain.latestVersion - i).map((v) => <option key={v} value={v}>{versionName(v)}</option>)}
        </select>
        <h3>{t('diagram')}</h3>
        {diagram.data ? <Diagram source={diagram.data.source} label={fillIn(t('diagramOf'), { chain: pick(chain.name), n: version })} /> : <Loading error={diagram.error} loading={diagram.loading} />}
      </section>
      <ChainMigration chain={chain} />
      <Loading error={def.error} loading={def.loading && !def.data} />
      {/* Keyed by the definition loaded, not the version asked for: a new editor once its definition is here. */}
      {def.data && (
        <Editor key={`${chain.key}@${def.data.version}#${loaded}`} initial={def.data.definition} published={published}
          onPublished={(res) => {
            setPublished(res);
            if (res.key === chain.key) setPicked(null);
            onPublished();
          }} />
      )}
    </>
  );
}

/** What a publish made: the chain by its name (as the definition published names it) and the version. */
interface Published { key: string; version: number; name: { zh: string; en: string } | string }

/** Signers of a step with several (会签、或签、依次): by role (and the office, where it is the office's), named users by name. */
function Signers({ step, users }: { step: Json; users: Map<string, string> }) {
  const seats: Json[] = step.assignees ?? [];
  const signing = step.signing ?? 'all';
  const how = signing === 'any' ? t('signingAny') : signing === 'sequence' ? t('signingSequence') : step.threshold ? fillIn(t('signingAllOf'), { n: step.threshold }) : t('signingAll');
  return (
    <p class="muted" data-testid="signers">
      {t('signers')}: {seats.map((a, j) => (
        <>{j > 0 && (lang === 'zh' ? '、' : ', ')}{a.userId
          ? (users.has(a.userId) ? <span translate={false}>{users.get(a.userId)}</span> : t('namedUser'))
          : `${roleName(a.role)}${a.department === 'office' ? (lang === 'zh' ? `（${t('deptOffice')}）` : ` (${t('deptOffice')})`) : ''}`}</>
      ))} · {how}
    </p>
  );
}

/** `published`: what the last publish from this chain's page made, said until this editor has news of its own. */
function Editor({ initial, published, onPublished }: { initial: Json; published: Published | null; onPublished: (res: Published) => void }) {
  const [definition, setDefinition] = useState<Json>(() => structuredClone(initial));
  const [mode, setMode] = useState<'form' | 'json'>('form');
  const [text, setText] = useState(() => JSON.stringify(initial, null, 2));
  const [jsonError, setJsonError] = useState('');
  const [validation, setValidation] = useState<Validation | null>(null);
  // Kept as the error itself, said in the page's language when shown.
  const [failure, setFailure] = useState<unknown>(null);
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
  // Named users among the signers, by name (an administrator's definition may name some).
  const userIds = [...new Set(steps.flatMap((s) => (Array.isArray(s?.assignees) ? s.assignees : []).map((a: Json) => a?.userId).filter((id: unknown): id is string => typeof id === 'string')))];
  const users = useLoad(async () => new Map((await Promise.all(userIds.map((id) => get<{ id: string; displayName: string }>(`/api/users/${encodeURIComponent(id)}`).catch(() => null))))
    .filter((u): u is { id: string; displayName: string } => !!u).map((u) => [u.id, pick(u.displayName)])), [userIds.join(), lang]);
  const validate = async () => {
    const body = current();
    if (!body) return;
    setFailure(null);
    setValidation(null);
    try {
      setValidation(await post<Validation>('/api/chains/validate', body));
    } catch (err) {
      setFailure(err);
    }
  };
  const publish = async () => {
    const body = current();
    if (!body) return;
    setFailure(null);
    try {
      const res = await post<{ key: string; version: number }>('/api/chains', body);
      onPublished({ ...res, name: body.name ?? res.key });
    } catch (err) {
      // A refused definition names its findings (`details`): shown where they point, as validating would.
      const details = err instanceof ApiError && err.code === 'VALIDATION_FAILED' && Array.isArray(err.details) ? (err.details as { field: string; reason: string; message?: Finding['message'] }[]) : null;
      if (details?.length && details.every((d) => d.field !== 'body')) setValidation({ valid: false, errors: details.map((d) => ({ path: d.field, reason: d.reason, message: d.message })), warnings: [] });
      else setFailure(err);
    }
  };
  const findings = validation?.errors ?? [];
  const atStep = (f: Finding) => (mode === 'form' ? stepIndex(f.path) : null);
  const errorsAt = (i: number) => findings.filter((f) => atStep(f) === i);
  const general = findings.filter((f) => atStep(f) === null || atStep(f)! >= steps.length);
  const warnings = validation?.warnings ?? [];
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
          <textarea id="chain-json" class="code" rows={24} spellcheck={false} translate={false} value={text} onInput={(e) => setText(e.currentTarget.value)}
            aria-invalid={!!jsonError || general.length > 0} aria-describedby={general.length ? 'chain-errors' : undefined} />
          {jsonError && <Alert kind="error">{jsonError}</Alert>}
        </>
      ) : (
        <ol class="steps">
          {steps.map((s, i) => {
            const kind = s.final ? 'final' : s.editable ? 'editable' : s.assignee || s.assignees ? 'task' : 'waiting';
            const unit = s.deadline ? (['workingDays', 'calendarDays', 'seconds', 'before'].find((u) => u in s.deadline) ?? '') : '';
            const errs = errorsAt(i);
            const idp = `step-${i}`;
            const transitions: Json[] = Array.isArray(s.transitions) ? s.transitions : [];
            // Each finding beside the field it points to; the step's other findings in its own list.
            const fieldOf = (f: Finding) => fieldsOf(f.path);
            const at = (name: string) => errs.filter((f) => fieldOf(f).includes(name));
            const rest = errs.filter((f) => fieldOf(f).length === 0);
            // A field a finding points to is marked invalid and described by what is wrong with it.
            const field = (name: string) => ({ id: `${idp}-${name}`, 'aria-invalid': at(name).length > 0 || undefined, 'aria-describedby': at(name).length ? `${idp}-${name}-error` : undefined });
            const problems = (name: string) => at(name).length > 0 && (
              <ul id={`${idp}-${name}-error`} class="error" data-testid="field-errors">{at(name).map((f, j) => <li key={j} data-path={f.path}><Said f={f} /></li>)}</ul>
            );
            return (
              <li key={i} class={errs.length ? 'step card step-invalid' : 'step card'} data-step={s.key} aria-describedby={rest.length ? `${idp}-errors` : undefined}>
                <fieldset>
                  <legend>{i + 1}. <span translate={false}>{pick(s.name) || s.key}</span></legend>
                  {rest.length > 0 && (
                    <ul id={`${idp}-errors`} class="error" aria-label={t('stepProblems')} data-testid="step-errors">
                      {rest.map((f, j) => <FindingItem key={j} f={f} parts={whereWords(f.path, definition, 1)} />)}
                    </ul>
                  )}
                  <div class="row">
                    <div><label for={`${idp}-key`}>{t('stepKey')}</label><input {...field('key')} translate={false} value={s.key} onInput={(e) => setStep(i, (x) => (x.key = e.currentTarget.value))} />{problems('key')}</div>
                    <div><label for={`${idp}-zh`}>{t('stepNameZh')}</label><input {...field('zh')} translate={false} value={s.name?.zh ?? ''} onInput={(e) => setStep(i, (x) => (x.name = { ...x.name, zh: e.currentTarget.value }))} />{problems('zh')}</div>
                    <div><label for={`${idp}-en`}>{t('stepNameEn')}</label><input {...field('en')} translate={false} value={s.name?.en ?? ''} onInput={(e) => setStep(i, (x) => (x.name = { ...x.name, en: e.currentTarget.value }))} />{problems('en')}</div>
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
                      {problems('kind')}
                    </div>
                  </div>
                  {s.assignee && (
                    <div class="row">
                      <div>
                        <label for={`${idp}-role`}>{t('assigneeRole')}</label>
                        <select {...field('role')} value={s.assignee.role} onChange={(e) => setStep(i, (x) => (x.assignee.role = e.currentTarget.value))}>
                          {(ROLES.includes(s.assignee.role) ? ROLES : [s.assignee.role, ...ROLES]).map((r) => <option key={r} value={r} translate={ROLES.includes(r) ? undefined : false}>{roleName(r)}</option>)}
                        </select>
                        {problems('role')}
                      </div>
                      <div>
                        <label for={`${idp}-dept`}>{t('assigneeDept')}</label>
                        <select {...field('dept')} value={s.assignee.department} onChange={(e) => setStep(i, (x) => (x.assignee.department = e.currentTarget.value))}>
                          <option value="document">{t('deptDocument')}</option>
                          <option value="office">{t('deptOffice')}</option>
                        </select>
                        {problems('dept')}
                      </div>
                    </div>
                  )}
                  {Array.isArray(s.assignees) && <Signers step={s} users={users.data ?? new Map()} />}
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
                          {unit === 'before' && <option value="before" disabled>{t('at.before')}</option>}
                        </select>
                        {problems('unit')}
                      </div>
                      {unit && unit !== 'before' && (
                        <div><label for={`${idp}-deadline`}>{t('deadline')}</label><input {...field('deadline')} type="number" min={1} value={s.deadline[unit]} onInput={(e) => setStep(i, (x) => (x.deadline = { [unit]: Number(e.currentTarget.value) }))} />{problems('deadline')}</div>
                      )}
                      <div>
                        <label for={`${idp}-reminders`}>{t('reminders')}</label>
                        <input {...field('reminders')} value={(s.reminders ?? []).map((r: Json) => r.workingDaysBefore ?? `${r.secondsBefore}s`).join(', ')}
                          onChange={(e) => setStep(i, (x) => {
                            const list = e.currentTarget.value.split(/[,，\s]+/).filter(Boolean).map((v) => (v.endsWith('s') ? { secondsBefore: Number(v.slice(0, -1)) } : { workingDaysBefore: Number(v) }));
                            if (list.length) x.reminders = list; else delete x.reminders;
                          })} />
                        {problems('reminders')}
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
                        {problems('esc-role')}
                      </div>
                      {s.escalation && (
                        <div><label for={`${idp}-esc-after`}>{t('escalationAfter')}</label><input {...field('esc-after')} type="number" min={0} value={s.escalation.afterWorkingDays ?? ''} onInput={(e) => setStep(i, (x) => (x.escalation.afterWorkingDays = Number(e.currentTarget.value)))} />{problems('esc-after')}</div>
                      )}
                    </div>
                  )}
                  {/* Transitions by action name, each with the step it leads to (chosen by name). */}
                  <div class="row" data-testid="transitions" aria-label={t('transitions')} role="group">
                    {transitions.length === 0 && <p class="muted">{t('transitions')}: {t('noTransitions')}</p>}
                    {transitions.map((tr, j) => {
                      const keys = steps.map((x) => x?.key);
                      return (
                        <div key={j} data-action={tr.action}>
                          <label for={`${idp}-t${j}-to`}>{fillIn(t('txTarget'), { action: actionLabel(tr) })}{!actionKnown(tr) && <> <code translate={false}>{tr.action}</code></>}</label>
                          <select {...field(`t${j}-to`)} value={tr.to ?? ''} onChange={(e) => setStep(i, (x) => { const to = e.currentTarget.value; if (to) x.transitions[j].to = to; else delete x.transitions[j].to; })}>
                            <option value="">{t('txStays')}</option>
                            {tr.to && !keys.includes(tr.to) && <option value={tr.to} translate={false}>{tr.to} {t('unknownStep')}</option>}
                            {steps.map((x, k) => <option key={k} value={x?.key} translate={false}>{pick(x?.name) || x?.key}</option>)}
                          </select>
                          {Array.isArray(tr.returnTo) && <p class="muted">{t('txReturnTo')}: <span translate={false}>{tr.returnTo.map((r: string) => stepLabel(steps, r)).join(lang === 'zh' ? '、' : ', ')}</span></p>}
                          {problems(`t${j}-to`)}
                        </div>
                      );
                    })}
                  </div>
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
        <ul id="chain-errors" class="error" aria-label={t('otherErrors')} data-testid="general-errors">{general.map((f, j) => <FindingItem key={j} f={f} parts={whereWords(f.path, mode === 'json' ? safeParse(text) : definition)} />)}</ul>
      )}
      {warnings.length > 0 && (
        <section aria-labelledby="chain-warnings-title">
          <h3 id="chain-warnings-title">{t('findingsWarnings')}</h3>
          <ul data-testid="warnings">{warnings.map((f, j) => <FindingItem key={j} f={f} parts={whereWords(f.path, mode === 'json' ? safeParse(text) : definition)} />)}</ul>
        </section>
      )}
      {failure ? <Alert kind="error">{errorText(failure)}</Alert> : published && <Alert kind="ok">{fillIn(t('publishedAs'), { chain: pick(published.name), n: published.version })}</Alert>}
      <div class="buttons">
        <button type="button" onClick={validate}>{t('validate')}</button>
        <button type="button" class="primary" onClick={publish}>{t('publish')}</button>
      </div>
    </section>
  );
}

/** The JSON editor's text as a definition, to name where its findings point ({} while it does not parse). */
function safeParse(text: string): Json {
  try {
    const v = JSON.parse(text);
    return v && typeof v === 'object' ? v : {};
  } catch {
    return {};
  }
}
