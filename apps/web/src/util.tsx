import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { errorText, fieldErrors } from './api';
import { formatDate, formatTime, t } from './i18n';

/** Loads once per change of `deps`; `reload()` loads again. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]) {
  const [state, setState] = useState<{ data?: T; error?: string; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => live && setState({ data, loading: false }),
      (err) => live && setState({ error: errorText(err), loading: false }),
    );
    return () => void (live = false);
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { ...state, reload };
}

export function Loading({ error, loading }: { error?: string; loading: boolean }) {
  if (error) return <p class="error" role="alert">{t('error')}: {error}</p>;
  return loading ? <p class="muted" aria-live="polite">{t('loading')}</p> : null;
}

export function Alert({ kind, children }: { kind: 'error' | 'ok'; children: ComponentChildren }) {
  return <p class={kind === 'error' ? 'error' : 'ok'} role={kind === 'error' ? 'alert' : 'status'}>{children}</p>;
}

/** A due date: red when passed, marked when provisional (a year without official calendar data). */
export function Due({ at, provisional, withTime }: { at: string | null | undefined; provisional?: boolean; withTime?: boolean }) {
  if (!at) return <span class="muted">{t('noDue')}</span>;
  const late = new Date(at).getTime() < Date.now();
  return (
    <span class={late ? 'due overdue' : 'due'} data-overdue={late ? 'true' : undefined}>
      {withTime ? formatTime(at) : formatDate(at)}
      {late && <span class="tag tag-red"> {t('overdue')}</span>}
      {provisional && <span class="tag tag-amber" title={t('provisionalHint')}> （{t('provisional')}）</span>}
    </span>
  );
}

/**
 * A form's submission: `run` clears the last outcome, runs the request and says what came of it — the
 * text it returns, or the refusal in the page's language with the fields it names. `invalid(name)`
 * marks a field the last refusal named (`name`, or `name[0]`, `name.x` beneath it).
 */
export function useSubmit() {
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const run = async (request: () => Promise<string | void>) => {
    setMessage(null);
    setFields({});
    setBusy(true);
    try {
      const ok = await request();
      if (ok) setMessage({ kind: 'ok', text: ok });
    } catch (err) {
      setMessage({ kind: 'error', text: errorText(err) });
      setFields(fieldErrors(err));
    } finally {
      setBusy(false);
    }
  };
  const invalid = (name: string) => Object.keys(fields).some((f) => f === name || f.startsWith(`${name}[`) || f.startsWith(`${name}.`)) || undefined;
  const shown = message && <Alert kind={message.kind}>{message.text}</Alert>;
  return { run, busy, invalid, shown, clear: () => setMessage(null) };
}

let ids = 0;
export const uid = (prefix: string) => `${prefix}-${++ids}`;

/**
 * A wide table's box, which scrolls sideways on its own on a narrow screen (the page does not): it
 * takes the keyboard focus so that keyboard users can scroll it too, named for screen readers.
 */
export function ScrollBox({ label, children }: { label: string; children: ComponentChildren }) {
  return <div class="table-wrap" tabIndex={0} role="region" aria-label={label}>{children}</div>;
}
