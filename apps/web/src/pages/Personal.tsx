import { useState } from 'preact/hooks';
import { ApiError, del, errorText, fieldErrors, get, post, put, query, serverNow, serverToday, type Me, type Page } from '../api';
import { colon, formatTime, lang, pick, t, tx, type Key } from '../i18n';
import { navigate } from '../router';
import { Alert, Loading, ScrollBox, useLoad } from '../util';

interface User { id: string; username: string; displayName: string; roles: { role: string; departmentId: string | null }[]; disabled?: boolean }
interface Proxy { id: string; userId: string; substituteId: string; startsAt: string; endsAt: string; createdAt: string; cancelledAt: string | null }
interface KindSetting { inApp: boolean; email: boolean }
interface Settings { email: string | null; kinds: Record<string, KindSetting> }

/** 个人设置: the signed-in user's substitutes while away, the documents copied to them, and how they are notified. */
export function Personal({ me }: { me: Me }) {
  // The colleagues of one's departments (GET /api/users lists them): substitutes are chosen among them, and named by them.
  const users = useLoad(async () => {
    const all: User[] = [];
    let cursor: string | null = null;
    do {
      const page: Page<User> = await get<Page<User>>(`/api/users${query({ limit: 200, cursor })}`);
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return all;
  }, []);
  const names = new Map((users.data ?? []).map((u) => [u.id, pick(u.displayName)]));
  return (
    <section aria-labelledby="personal-title">
      <h1 id="personal-title">{t('personalTitle')}</h1>
      <Proxies me={me} users={users.data ?? []} names={names} usersError={users.error} />
      <Copies />
      <NotificationSettings />
    </section>
  );
}

/** "A：B" in Chinese, "A: B" in English. */
/** A known word for `prefix:text`, else the text as it is. */
const known = (prefix: string, text: string) => (tx(`${prefix}:${text}`) === `${prefix}:${text}` ? text : tx(`${prefix}:${text}`));

const FIELDS: Record<string, Key> = { substituteId: 'proxySubstitute', startsAt: 'proxyFrom', endsAt: 'proxyUntil', comment: 'proxyComment', email: 'notifyEmail' };
/** A refusal in words: what was not done, then each field the API names with its reason, in the page's language where the dictionary knows it. */
function refusal(err: unknown, what: Key): string {
  if (!(err instanceof ApiError) || !Array.isArray(err.details)) return errorText(err);
  const parts = (err.details as { field?: string; reason?: string }[]).map((d) => colon(FIELDS[d.field ?? ''] ? t(FIELDS[d.field!]!) : String(d.field), known('reason', String(d.reason))));
  return lang === 'zh' ? `${t(what)}。${parts.join('；')}` : `${t(what)}. ${parts.join('; ')}`;
}

/** As util's useSubmit, with the refusal said by `refusal` (the fields named in the form's own words). */
function useRefusable(what: Key) {
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const run = async (request: () => Promise<string>) => {
    setMessage(null);
    setFields({});
    setBusy(true);
    try {
      setMessage({ kind: 'ok', text: await request() });
    } catch (err) {
      setMessage({ kind: 'error', text: refusal(err, what) });
      setFields(fieldErrors(err));
    } finally {
      setBusy(false);
    }
  };
  const invalid = (name: string) => (name in fields ? true : undefined);
  return { run, busy, invalid, shown: message && <Alert kind={message.kind}>{message.text}</Alert> };
}

function Proxies({ me, users, names, usersError }: { me: Me; users: User[]; names: Map<string, string>; usersError?: string }) {
  const proxies = useLoad(() => get<{ items: Proxy[] }>('/api/me/proxies'), []);
  const [substituteId, setSubstituteId] = useState('');
  const [from, setFrom] = useState(serverToday());
  const [until, setUntil] = useState('');
  const [comment, setComment] = useState('');
  const submit = useRefusable('proxyRefused');
  const { busy, invalid } = submit;
  const act = (request: () => Promise<string>) => submit.run(async () => {
    const text = await request();
    proxies.reload();
    return text;
  });
  const set = (e: Event) => {
    e.preventDefault();
    // Whole days in Beijing time: from the first day's start to the last day's end.
    void act(async () => {
      await post<Proxy>('/api/me/proxies', { substituteId, startsAt: `${from}T00:00:00+08:00`, endsAt: `${until}T23:59:59+08:00`, ...(comment.trim() ? { comment: comment.trim() } : {}) });
      setComment('');
      return t('proxyCreated');
    });
  };
  const end = (p: Proxy) => act(async () => {
    await del(`/api/me/proxies/${p.id}`);
    return colon(t('proxyEnded'), names.get(p.substituteId) ?? '');
  });
  const candidates = users.filter((u) => u.id !== me.id && !u.disabled);
  const now = serverNow().getTime();
  return (
    <section class="card" aria-labelledby="proxies-title" data-testid="proxies">
      <h2 id="proxies-title">{t('proxiesTitle')}</h2>
      <p class="muted">{t('proxiesHint')}</p>
      <Loading error={proxies.error} loading={proxies.loading && !proxies.data} />
      {proxies.data && proxies.data.items.length === 0 && <p class="muted">{t('proxiesEmpty')}</p>}
      {proxies.data && proxies.data.items.length > 0 && (
        <ScrollBox label={t('proxiesTitle')}>
          <table>
            <caption class="sr-only">{t('proxiesTitle')}</caption>
            <thead><tr><th scope="col">{t('proxySubstitute')}</th><th scope="col">{t('proxyStarts')}</th><th scope="col">{t('proxyEnds')}</th><th scope="col">{t('proxyStatus')}</th><th scope="col">{t('actions')}</th></tr></thead>
            <tbody>
              {proxies.data.items.map((p) => (
                <tr key={p.id} data-proxy={p.id}>
                  <td>{names.get(p.substituteId) ?? '—'}</td>
                  <td>{formatTime(p.startsAt)}</td>
                  <td>{formatTime(p.endsAt)}</td>
                  <td>{Date.parse(p.startsAt) <= now ? <span class="tag tag-green">{t('proxyActive')}</span> : t('proxyUpcoming')}</td>
                  <td><button type="button" class="danger" disabled={busy} onClick={() => end(p)} aria-label={colon(t('proxyEnd'), names.get(p.substituteId) ?? '')}>{t('proxyEnd')}</button></td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollBox>
      )}
      <p class="muted">{t('proxiesPastHint')}</p>
      <form onSubmit={set}>
        {usersError && <Alert kind="error">{usersError}</Alert>}
        <div class="row">
          <div>
            <label for="proxy-substitute">{t('proxySubstitute')}</label>
            <select id="proxy-substitute" required value={substituteId} onChange={(e) => setSubstituteId(e.currentTarget.value)} aria-invalid={invalid('substituteId')}>
              <option value="">{t('chooseUser')}</option>
              {candidates.map((u) => <option key={u.id} value={u.id}>{pick(u.displayName)}</option>)}
            </select>
          </div>
          <div>
            <label for="proxy-from">{t('proxyFrom')}</label>
            <input id="proxy-from" type="date" required value={from} onInput={(e) => setFrom(e.currentTarget.value)} aria-invalid={invalid('startsAt')} />
          </div>
          <div>
            <label for="proxy-until">{t('proxyUntil')}</label>
            <input id="proxy-until" type="date" required min={from} value={until} onInput={(e) => setUntil(e.currentTarget.value)} aria-invalid={invalid('endsAt')} />
          </div>
        </div>
        <label for="proxy-comment">{t('proxyComment')}</label>
        <input id="proxy-comment" maxLength={2000} value={comment} onInput={(e) => setComment(e.currentTarget.value)} />
        {submit.shown}
        <div class="buttons"><button type="submit" class="primary" disabled={busy}>{t('proxySet')}</button></div>
      </form>
    </section>
  );
}

interface Copy { documentId: string; title: string; copiedBy: string; createdAt: string; comment: string | null; notificationId: string | null; read: boolean }
interface CopyPage { items: Copy[]; nextCursor: string | null; people: Record<string, string> }

/**
 * 抄送给我的 (`GET /api/me/copies`): what colleagues copied to the user, newest first, with who, when
 * and their comment, whatever the user's notification settings; opening one marks its notification read.
 */
function Copies() {
  const [more, setMore] = useState<{ items: Copy[]; cursor: string | null }>({ items: [], cursor: null });
  const [people, setPeople] = useState<Record<string, string>>({});
  const [readNow, setReadNow] = useState<Set<string>>(new Set());
  const [openError, setOpenError] = useState('');
  const first = useLoad(async () => {
    const page = await get<CopyPage>(`/api/me/copies${query({ limit: 50 })}`);
    setMore({ items: [], cursor: page.nextCursor });
    setPeople(page.people);
    return page.items;
  }, []);
  const [loadingMore, setLoadingMore] = useState(false);
  const loadMore = async () => {
    if (loadingMore) return;
    setLoadingMore(true);
    setOpenError('');
    try {
      const page = await get<CopyPage>(`/api/me/copies${query({ limit: 50, cursor: more.cursor })}`);
      setMore({ items: [...more.items, ...page.items], cursor: page.nextCursor });
      setPeople({ ...people, ...page.people });
    } catch (err) {
      setOpenError(errorText(err));
    } finally {
      setLoadingMore(false);
    }
  };
  const open = async (e: MouseEvent, c: Copy) => {
    if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    setOpenError('');
    try {
      if (!c.read && c.notificationId) await post(`/api/notifications/${c.notificationId}/read`);
      setReadNow(new Set([...readNow, c.documentId]));
      navigate(`/documents/${c.documentId}`);
    } catch (err) {
      setOpenError(errorText(err));
    }
  };
  const copies = [...(first.data ?? []), ...more.items];
  return (
    <section class="card" aria-labelledby="copies-title" data-testid="copies">
      <h2 id="copies-title">{t('copiesTitle')}</h2>
      <Loading error={first.error} loading={first.loading && !first.data} />
      {openError && <Alert kind="error">{openError}</Alert>}
      {first.data && copies.length === 0 && <p class="muted">{t('copiesEmpty')}</p>}
      {copies.length > 0 && (
        <ScrollBox label={t('copiesTitle')}>
          <table>
            <caption class="sr-only">{t('copiesTitle')}</caption>
            <thead><tr><th scope="col">{t('document')}</th><th scope="col">{t('copiedBy')}</th><th scope="col">{t('copiedAt')}</th><th scope="col">{t('comment')}</th><th scope="col">{t('readState')}</th></tr></thead>
            <tbody>
              {copies.map((c) => {
                const read = c.read || readNow.has(c.documentId);
                return (
                  <tr key={c.documentId} data-document={c.documentId} data-read={String(read)}>
                    <td translate={false}><a href={`/documents/${c.documentId}`} onClick={(e) => open(e, c)}>{c.title}</a></td>
                    <td translate={false}>{people[c.copiedBy] ? pick(people[c.copiedBy]) : '—'}</td>
                    <td>{formatTime(c.createdAt)}</td>
                    <td translate={false}>{c.comment || '—'}</td>
                    <td>{read ? <span class="muted">{t('isRead')}</span> : <strong>{t('isUnread')}</strong>}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </ScrollBox>
      )}
      {more.cursor && <div class="buttons"><button type="button" onClick={loadMore}>{t('loadMore')}</button></div>}
      <p class="muted">{t('copiesHint')}</p>
    </section>
  );
}

function NotificationSettings() {
  const settings = useLoad(() => get<Settings>('/api/notifications/settings'), []);
  return (
    <section class="card" aria-labelledby="notify-title" data-testid="notification-settings">
      <h2 id="notify-title">{t('notifySettingsTitle')}</h2>
      <Loading error={settings.error} loading={settings.loading && !settings.data} />
      {settings.data && <SettingsForm initial={settings.data} />}
    </section>
  );
}

function SettingsForm({ initial }: { initial: Settings }) {
  const [email, setEmail] = useState(initial.email ?? '');
  const [kinds, setKinds] = useState(initial.kinds);
  const submit = useRefusable('notifyRefused');
  const toggle = (kind: string, channel: keyof KindSetting, on: boolean) => setKinds({ ...kinds, [kind]: { ...kinds[kind]!, [channel]: on } });
  const save = (e: Event) => {
    e.preventDefault();
    void submit.run(async () => {
      const saved = await put<Settings>('/api/notifications/settings', { email: email.trim() || null, kinds });
      setEmail(saved.email ?? '');
      setKinds(saved.kinds);
      return t('notifySaved');
    });
  };
  return (
    <form onSubmit={save}>
      <label for="notify-email">{t('notifyEmail')}</label>
      <input id="notify-email" type="email" autocomplete="email" maxLength={254} value={email} onInput={(e) => setEmail(e.currentTarget.value)} aria-invalid={submit.invalid('email')} />
      <ScrollBox label={t('notifySettingsTitle')}>
        <table data-testid="notification-kinds">
          <caption class="sr-only">{t('notifySettingsTitle')}</caption>
          <thead><tr><th scope="col">{t('notifyKind')}</th><th scope="col">{t('notifyInApp')}</th><th scope="col">{t('notifyByEmail')}</th></tr></thead>
          <tbody>
            {Object.entries(kinds).map(([kind, s]) => {
              const label = known('kind', kind);
              return (
                <tr key={kind} data-kind={kind}>
                  <th scope="row">{label}</th>
                  <td><input type="checkbox" checked={s.inApp} aria-label={colon(label, t('notifyInApp'))} onChange={(e) => toggle(kind, 'inApp', e.currentTarget.checked)} /></td>
                  <td><input type="checkbox" checked={s.email} aria-label={colon(label, t('notifyByEmail'))} onChange={(e) => toggle(kind, 'email', e.currentTarget.checked)} /></td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </ScrollBox>
      {submit.shown}
      <div class="buttons"><button type="submit" class="primary" disabled={submit.busy}>{t('save')}</button></div>
    </form>
  );
}
