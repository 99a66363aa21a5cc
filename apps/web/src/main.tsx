import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, get, isGlobalAdmin, post, token, whenUnauthenticated, type Me, type Page } from './api';
import { departmentName, formatTime, lang, pick, roleName, setDepartments, setLang, t, tx } from './i18n';
import { linkProps, navigate, Redirect, sectionOf, useLocation } from './router';
import { Inbox } from './pages/Inbox';
import { DocumentView } from './pages/DocumentView';
import { MyDocuments } from './pages/MyDocuments';
import { Audit } from './pages/Audit';
import { Chains } from './pages/Chains';
import { Organisation } from './pages/Organisation';
import { Calendar } from './pages/Calendar';
import { Personal } from './pages/Personal';
import './styles.css';

function Login({ onLogin }: { onLogin: (me: Me) => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      const res = await post<{ accessToken: string; user: Me }>('/api/auth/login', { username, password });
      token.set(res.accessToken);
      onLogin(res.user);
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? t('loginFailed') : err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="login" id="main">
      <form onSubmit={submit} aria-labelledby="login-title" class="card">
        <h1 id="login-title">{t('appName')} · {t('loginTitle')}</h1>
        <p class="muted">{t('appSub')}</p>
        <label for="login-username">{t('username')}</label>
        <input id="login-username" name="username" autocomplete="username" required value={username} onInput={(e) => setUsername(e.currentTarget.value)} />
        <label for="login-password">{t('password')}</label>
        <input id="login-password" name="password" type="password" autocomplete="current-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
        {error && <p class="error" role="alert">{error}</p>}
        <button type="submit" class="primary" disabled={busy}>{t('login')}</button>
      </form>
    </main>
  );
}

interface Notification { id: string; kind?: string; type?: string; message?: unknown; documentId?: string | null; createdAt?: string; readAt?: string | null; [k: string]: unknown }

/** GET /api/notifications: a page, and how many are unread in all (the page holds at most 50 of them). */
type NotificationPage = Page<Notification> & { unreadCount: number };

function Notifications() {
  const [items, setItems] = useState<Notification[]>([]);
  const [unread, setUnread] = useState(0);
  const [open, setOpen] = useState(false);
  const load = () =>
    get<NotificationPage>('/api/notifications?unread=true')
      .then((p) => {
        setItems(p.items);
        setUnread(p.unreadCount);
      })
      .catch(() => {});
  useEffect(() => {
    void load();
    const timer = setInterval(load, 60_000);
    // Pushed live (server-sent events); EventSource sends no header, so the token goes as a parameter.
    const bearer = token.get();
    const live = typeof EventSource === 'function' && bearer ? new EventSource(`/api/notifications/stream?access_token=${encodeURIComponent(bearer)}`) : null;
    live?.addEventListener('notification', () => void load());
    return () => {
      clearInterval(timer);
      live?.close();
    };
  }, []);
  const read = async (n: Notification) => {
    await post(`/api/notifications/${n.id}/read`).catch(() => {});
    void load();
  };
  return (
    <div class="notifications">
      <button type="button" aria-expanded={open} aria-controls="notification-list" onClick={() => setOpen(!open)} class="link">
        {t('notifications')} <span class={unread ? 'badge' : 'badge badge-zero'} data-testid="unread-count">{unread}</span>
        <span class="sr-only"> {t('unread')}</span>
      </button>
      {open && (
        <div id="notification-list" class="popover" role="region" aria-label={t('notifications')}>
          {items.length === 0 && <p class="muted">{t('noNotifications')}</p>}
          <ul>
            {items.map((n) => (
              <li key={n.id}>
                <span class="tag">{tx(String(n.kind ?? ''))}</span> {pick(String(n.message ?? ''))} <span class="muted">{formatTime(n.createdAt as string)}</span>{' '}
                {n.documentId && <a {...linkProps(`/documents/${n.documentId}`)}>{t('open')}</a>}{' '}
                <button type="button" class="link" onClick={() => read(n)}>{t('markRead')}</button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

const has = (me: Me, ...roles: string[]) => me.roles.some((r) => roles.includes(r.role));
/** Administrators: `admin` held globally, or in departments (who administer those alone). */
const isReviewer = (me: Me) => has(me, 'legal-counsel', 'party-secretary', 'leader', 'rule-of-law-office', 'admin');

function Header({ me, onLogout, onLang }: { me: Me; onLogout: () => void; onLang: () => void }) {
  const path = useLocation();
  // A document opened from nowhere known is the drafter's own work; for anyone else no section is marked.
  const section = sectionOf(path) ?? (/^\/documents\/[^/?]+/.test(path) && has(me, 'drafter') ? '/documents' : null);
  const nav: [string, string, boolean][] = [
    ['/inbox', t('navInbox'), isReviewer(me) || has(me, 'drafter')],
    ['/documents', t('navDocuments'), true],
    ['/chains', t('navChains'), has(me, 'admin')],
    ['/audit', t('navAudit'), has(me, 'supervisor', 'admin')],
    ['/organisation', t('navOrganisation'), has(me, 'admin')],
    ['/calendar', t('navCalendar'), isGlobalAdmin(me)],
  ];
  const departments = [...new Set(me.roles.map((r) => r.departmentId))];
  return (
    <header class="top">
      <a class="skip" href="#main">{lang === 'zh' ? '跳到正文' : 'Skip to content'}</a>
      <div class="brand">{t('appName')}</div>
      <nav aria-label={lang === 'zh' ? '主导航' : 'Main'}>
        <ul>
          {nav.filter(([, , show]) => show).map(([href, label]) => (
            <li key={href}><a {...linkProps(href)} aria-current={section !== href ? undefined : path.split('?')[0] === href ? 'page' : 'true'}>{label}</a></li>
          ))}
        </ul>
      </nav>
      <div class="who" data-testid="who">
        <span class="user">{me.displayName.split(' / ')[lang === 'en' ? 1 : 0] ?? me.displayName}</span>
        <span class="muted"> · {departments.map((d) => (d ? departmentName(d) : lang === 'zh' ? '全局' : 'global')).join('、')} · {[...new Set(me.roles.map((r) => roleName(r.role)))].join('、')}</span>
      </div>
      <a {...linkProps('/me')} aria-current={section !== '/me' ? undefined : path.split('?')[0] === '/me' ? 'page' : 'true'}>{t('navPersonal')}</a>
      <Notifications />
      <button type="button" class="link" onClick={onLang} lang={lang === 'zh' ? 'en' : 'zh-CN'}>{t('switchLang')}</button>
      <button type="button" class="link" onClick={onLogout}>{t('logout')}</button>
    </header>
  );
}

function Routes({ me }: { me: Me }) {
  const path = useLocation().split('?')[0]!;
  let m: RegExpMatchArray | null;
  if (path === '/' || path === '/login') {
    return <Redirect to={has(me, 'supervisor') && !isReviewer(me) && !has(me, 'drafter') ? '/audit' : has(me, 'admin') && !has(me, 'drafter') ? '/chains' : isReviewer(me) ? '/inbox' : '/documents'} />;
  }
  if (path === '/inbox') return <Inbox />;
  if (path === '/documents') return <MyDocuments me={me} />;
  if ((m = path.match(/^\/documents\/([^/]+)$/))) return <DocumentView id={m[1]!} me={me} />;
  if (path === '/chains') return <Chains />;
  if ((m = path.match(/^\/chains\/([^/]+)$/))) return <Chains chainKey={decodeURIComponent(m[1]!)} />;
  if (path === '/audit') return <Audit />;
  if (path === '/organisation' && has(me, 'admin')) return <Organisation me={me} />;
  if (path === '/calendar' && isGlobalAdmin(me)) return <Calendar />;
  if (path === '/me') return <Personal me={me} />;
  return <p>{t('notFound')}</p>;
}

/** The signed-in user, once the department names every screen shows are loaded. */
async function signedIn(me: Promise<Me>): Promise<Me> {
  const [user, list] = await Promise.all([me, get<{ items: { id: string; name: string }[] }>('/api/departments')]);
  setDepartments(list.items);
  return user;
}

function App() {
  const [me, setMe] = useState<Me | null>(null);
  const [checked, setChecked] = useState(false);
  const [, setLangTick] = useState(lang);
  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    whenUnauthenticated(() => {
      token.clear();
      setMe(null);
    });
    if (!token.get()) return setChecked(true);
    signedIn(get<Me>('/api/me')).then(setMe, () => token.clear()).finally(() => setChecked(true));
  }, []);
  if (!checked) return null;
  const toggleLang = () => {
    setLang(lang === 'zh' ? 'en' : 'zh');
    setLangTick(lang);
  };
  if (!me) {
    return (
      <>
        <div class="lang-corner"><button type="button" class="link" onClick={toggleLang} lang={lang === 'zh' ? 'en' : 'zh-CN'}>{t('switchLang')}</button></div>
        <Login onLogin={(u) => signedIn(Promise.resolve(u)).then((m) => { setMe(m); navigate('/'); })} />
      </>
    );
  }
  return (
    <div key={lang}>
      <Header me={me} onLang={toggleLang} onLogout={() => { token.clear(); setMe(null); navigate('/login'); }} />
      <main id="main" tabIndex={-1}>
        <Routes me={me} />
      </main>
    </div>
  );
}

render(<App />, document.getElementById('app')!);
