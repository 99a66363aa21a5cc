import { useEffect, useState } from 'preact/hooks';
import { del, get, isGlobalAdmin, patch, post, put, query, type Me, type Page } from '../api';
import { colon, departmentName, fillIn, lang, pick, roleName, setDepartments, stateName, t, tx } from '../i18n';
import { linkProps } from '../router';
import { Alert, Loading, ScrollBox, useLoad, useSubmit } from '../util';

/** The organisation's routes (API.md "Additions" → "Organisation"); the API decides who may change what, the page only leaves out what it would refuse anyway. */
interface Department { id: string; name: string; officeId: string | null; issuerCode?: string | null }
type Grant = { role: string; departmentId: string | null };
interface User { id: string; username: string; displayName: string; roles: Grant[]; disabled: boolean }
interface HandOver {
  reassigned: { taskId: string; documentId: string; stepKey: string; toUserId: string }[];
  unassigned: { taskId: string; documentId: string; stepKey: string; reason: string; refused: { userId: string; code: string; rule?: string }[] }[];
}
/** An open task a user holds by name (GET /api/users/:id/open-tasks). */
interface HeldTask { id: string; documentId: string; documentTitle: string; step: { key: string; name: { zh: string; en: string } }; assigneeRole: string | null }
type Refusal = HandOver['unassigned'][number]['refused'][number];
/** Why a colleague could not take a task, in words: the rule of separation of duties, else the refusal's code. */
const refusalText = (r: Refusal) => {
  const key = `refusal:${r.rule ?? r.code}`;
  return tx(key) === key ? t('refusedBy') : tx(key);
};
const ROLES = ['drafter', 'legal-counsel', 'party-secretary', 'leader', 'rule-of-law-office', 'supervisor', 'admin'];
/** Roles a department administrator may grant (organisation-authority.ts: admin and supervisor are a global administrator's). */
const DEPARTMENT_ROLES = ROLES.filter((r) => r !== 'admin' && r !== 'supervisor');
const PAGE = 20;

const administered = (me: Me) => me.roles.filter((r) => r.role === 'admin' && r.departmentId).map((r) => r.departmentId!);
const grantText = (g: Grant) => `${roleName(g.role)} · ${g.departmentId ? departmentName(g.departmentId) : t('global')}`;
/** A person as people know them: their name and their department(s). */
const personText = (u: Pick<User, 'displayName' | 'roles'>) => {
  const depts = [...new Set(u.roles.map((g) => g.departmentId).filter((d): d is string => !!d))];
  if (!depts.length) return pick(u.displayName);
  return lang === 'zh' ? `${pick(u.displayName)}（${depts.map(departmentName).join('、')}）` : `${pick(u.displayName)} (${depts.map(departmentName).join(', ')})`;
};

export function Organisation({ me }: { me: Me }) {
  const departments = useLoad(async () => {
    const list = await get<{ items: Department[] }>('/api/departments');
    setDepartments(list.items); // every screen names departments from this map
    return list.items;
  }, []);
  const [selected, setSelected] = useState<string | null>(null);
  const [usersTick, setUsersTick] = useState(0);
  const all = departments.data ?? [];
  // The departments this administrator acts in: every one for a global administrator.
  const mine = isGlobalAdmin(me) ? all : all.filter((d) => administered(me).includes(d.id));
  return (
    <section aria-labelledby="org-title">
      <h1 id="org-title">{t('orgTitle')}</h1>
      <Loading error={departments.error} loading={departments.loading && !departments.data} />
      {departments.data && (
        <>
          <Departments me={me} all={all} mine={mine} onChanged={departments.reload} />
          <Users all={all} tick={usersTick} selected={selected} onSelect={setSelected} />
          {isGlobalAdmin(me) && <NewUser all={all} onCreated={(id) => { setUsersTick((n) => n + 1); setSelected(id); }} />}
          {selected && <UserDetail key={selected} id={selected} me={me} all={all} mine={mine} onChanged={() => setUsersTick((n) => n + 1)} />}
        </>
      )}
    </section>
  );
}

function Departments({ me, all, mine, onChanged }: { me: Me; all: Department[]; mine: Department[]; onChanged: () => void }) {
  const [editing, setEditing] = useState<string | null>(null);
  return (
    <section class="card" aria-labelledby="departments-title">
      <h2 id="departments-title">{t('departments')}</h2>
      <ScrollBox label={t('departments')}>
        <table data-testid="departments">
          <thead><tr><th scope="col">{t('department')}</th><th scope="col">{t('deptId')}</th><th scope="col">{t('office')}</th><th scope="col">{t('issuerCode')}</th><th scope="col"><span class="sr-only">{t('edit')}</span></th></tr></thead>
          <tbody>
            {all.map((d) => (
              <tr key={d.id} data-department={d.id}>
                <th scope="row">{pick(d.name)}</th>
                <td><code translate={false}>{d.id}</code></td>
                <td>{d.officeId ? departmentName(d.officeId) : '—'}</td>
                <td translate={false}>{d.issuerCode ?? '—'}</td>
                <td>{mine.some((m) => m.id === d.id) && <button type="button" class="link" aria-label={`${t('edit')}: ${pick(d.name)}`} onClick={() => setEditing(d.id)}>{t('edit')}</button>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollBox>
      {editing && <DepartmentForm key={editing} me={me} all={all} department={all.find((d) => d.id === editing)} onDone={() => { setEditing(null); onChanged(); }} onCancel={() => setEditing(null)} />}
      {isGlobalAdmin(me) && !editing && <DepartmentForm me={me} all={all} onDone={onChanged} />}
    </section>
  );
}

/** A new department (global administrators), or changes to one: its name (its own administrators too), office and issuer code (global administrators). */
function DepartmentForm({ me, all, department, onDone, onCancel }: { me: Me; all: Department[]; department?: Department; onDone: () => void; onCancel?: () => void }) {
  const [id, setId] = useState('');
  const [name, setName] = useState(department?.name ?? '');
  const [officeId, setOfficeId] = useState(department?.officeId ?? '');
  const [issuerCode, setIssuerCode] = useState(department?.issuerCode ?? '');
  const submit = useSubmit();
  const global = isGlobalAdmin(me);
  const p = department ? 'dept-edit' : 'dept-new';
  const save = (e: Event) => {
    e.preventDefault();
    void submit.run(async () => {
      if (department) {
        const change: Record<string, string | null> = { name };
        // Only what a global administrator may set is sent by one: a department administrator renames.
        if (global) Object.assign(change, { officeId: officeId || null, issuerCode: issuerCode || null });
        await patch(`/api/departments/${encodeURIComponent(department.id)}`, change);
      } else {
        await post('/api/departments', { id, name, ...(officeId ? { officeId } : {}), ...(issuerCode ? { issuerCode } : {}) });
        setId(''); setName(''); setOfficeId(''); setIssuerCode('');
      }
      onDone();
      return t('saved');
    });
  };
  return (
    <form onSubmit={save} aria-labelledby={`${p}-title`} data-testid={p}>
      <h3 id={`${p}-title`}>{department ? `${t('edit')}: ${pick(department.name)}` : t('newDepartment')}</h3>
      <div class="row">
        {!department && <div><label for={`${p}-id`}>{t('deptId')}</label><input id={`${p}-id`} required value={id} placeholder="city-edu" translate={false} aria-invalid={submit.invalid('id')} onInput={(e) => setId(e.currentTarget.value)} /></div>}
        <div><label for={`${p}-name`}>{t('deptName')}</label><input id={`${p}-name`} required value={name} aria-invalid={submit.invalid('name')} onInput={(e) => setName(e.currentTarget.value)} /></div>
        <div>
          <label for={`${p}-office`}>{t('office')}</label>
          <select id={`${p}-office`} value={officeId} disabled={!global} aria-invalid={submit.invalid('officeId')} onChange={(e) => setOfficeId(e.currentTarget.value)}>
            <option value="">{t('none')}</option>
            {all.filter((d) => d.id !== department?.id).map((d) => <option key={d.id} value={d.id}>{pick(d.name)}</option>)}
          </select>
        </div>
        <div><label for={`${p}-issuer`}>{t('issuerCode')}</label><input id={`${p}-issuer`} value={issuerCode} disabled={!global} aria-invalid={submit.invalid('issuerCode')} onInput={(e) => setIssuerCode(e.currentTarget.value)} /></div>
      </div>
      {submit.shown}
      <div class="buttons">
        <button type="submit" class="primary" disabled={submit.busy}>{department ? t('save') : t('create_')}</button>
        {onCancel && <button type="button" onClick={onCancel}>{t('cancel')}</button>}
      </div>
    </form>
  );
}

interface UserFilters { departmentId: string; role: string; enabled: string }

/** The users the caller may see (their departments'; everyone's for a global administrator), filtered, a page at a time. */
function Users({ all, tick, selected, onSelect }: { all: Department[]; tick: number; selected: string | null; onSelect: (id: string) => void }) {
  const [draft, setDraft] = useState<UserFilters>({ departmentId: '', role: '', enabled: '' });
  const [filters, setFilters] = useState(draft);
  // The cursors of the pages before this one (keyset paging has no page numbers): [] is the first page.
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors.at(-1);
  const users = useLoad(() => get<Page<User>>(`/api/users${query({ ...filters, limit: PAGE, cursor })}`), [filters, cursor, tick]);
  const filter = (k: keyof UserFilters) => ({ id: `users-${k}`, value: draft[k], onChange: (e: Event) => setDraft({ ...draft, [k]: (e.currentTarget as HTMLSelectElement).value }) });
  return (
    <section class="card" aria-labelledby="users-title">
      <h2 id="users-title">{t('users')}</h2>
      <form class="filters" onSubmit={(e) => { e.preventDefault(); setCursors([]); setFilters({ ...draft }); }}>
        <div><label for="users-departmentId">{t('department')}</label><select {...filter('departmentId')}><option value="">{t('any')}</option>{all.map((d) => <option key={d.id} value={d.id}>{pick(d.name)}</option>)}</select></div>
        <div><label for="users-role">{t('role')}</label><select {...filter('role')}><option value="">{t('any')}</option>{ROLES.map((r) => <option key={r} value={r}>{roleName(r)}</option>)}</select></div>
        <div>
          <label for="users-enabled">{t('accountState')}</label>
          <select {...filter('enabled')}><option value="">{t('any')}</option><option value="true">{t('active')}</option><option value="false">{t('disabledState')}</option></select>
        </div>
        <div class="buttons"><button type="submit" class="primary">{t('search')}</button></div>
      </form>
      <Loading error={users.error} loading={users.loading && !users.data} />
      {users.data && users.data.items.length === 0 && <p class="muted">{t('noResults')}</p>}
      {users.data && users.data.items.length > 0 && (
        <ScrollBox label={t('users')}>
          <table data-testid="users">
            <thead><tr><th scope="col">{t('person')}</th><th scope="col">{t('username')}</th><th scope="col">{t('roles')}</th><th scope="col">{t('accountState')}</th><th scope="col"><span class="sr-only">{t('manage')}</span></th></tr></thead>
            <tbody>
              {users.data.items.map((u) => (
                <tr key={u.id} data-username={u.username} aria-current={u.id === selected ? 'true' : undefined}>
                  <th scope="row">{pick(u.displayName)}</th>
                  <td translate={false}>{u.username}</td>
                  <td>{u.roles.map(grantText).join(lang === 'zh' ? '；' : '; ') || '—'}</td>
                  <td>{u.disabled ? <span class="tag tag-red">{t('disabledState')}</span> : t('active')}</td>
                  <td><button type="button" class="link" aria-label={`${t('manage')}: ${pick(u.displayName)}`} onClick={() => onSelect(u.id)}>{t('manage')}</button></td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollBox>
      )}
      <div class="buttons">
        <button type="button" disabled={!cursors.length} onClick={() => setCursors(cursors.slice(0, -1))}>{t('prevPage')}</button>
        <button type="button" disabled={!users.data?.nextCursor} onClick={() => setCursors([...cursors, users.data!.nextCursor!])}>{t('nextPage')}</button>
      </div>
    </section>
  );
}

/** A new account (global administrators): its password is one the user replaces at first login; a generated one is shown here once. */
function NewUser({ all, onCreated }: { all: Department[]; onCreated: (id: string) => void }) {
  const [form, setForm] = useState({ username: '', displayName: '', departmentId: '', password: '' });
  const [roles, setRoles] = useState<string[]>([]);
  const [oneTime, setOneTime] = useState<{ username: string; password: string } | null>(null);
  const submit = useSubmit();
  const field = (k: keyof typeof form) => ({ id: `new-user-${k}`, value: form[k], 'aria-invalid': submit.invalid(k), onInput: (e: Event) => setForm({ ...form, [k]: (e.currentTarget as HTMLInputElement).value }) });
  const save = (e: Event) => {
    e.preventDefault();
    setOneTime(null);
    void submit.run(async () => {
      const body = { username: form.username, displayName: form.displayName, roles, ...(form.departmentId ? { departmentId: form.departmentId } : {}), ...(form.password ? { password: form.password } : {}) };
      const res = await post<{ id: string; username: string; oneTimePassword?: string }>('/api/users', body);
      if (res.oneTimePassword) setOneTime({ username: res.username, password: res.oneTimePassword });
      setForm({ username: '', displayName: '', departmentId: '', password: '' });
      setRoles([]);
      onCreated(res.id);
      return `${t('saved')}: ${res.username}`;
    });
  };
  return (
    <section class="card" aria-labelledby="new-user-title">
      <h2 id="new-user-title">{t('newUser')}</h2>
      <form onSubmit={save}>
        <div class="row">
          <div><label for="new-user-username">{t('username')}</label><input {...field('username')} required autocomplete="off" /></div>
          <div><label for="new-user-displayName">{t('displayName')}</label><input {...field('displayName')} required /></div>
          <div>
            <label for="new-user-departmentId">{t('department')}</label>
            <select {...field('departmentId')} onChange={(e) => setForm({ ...form, departmentId: e.currentTarget.value })}>
              <option value="">{t('none')}</option>
              {all.map((d) => <option key={d.id} value={d.id}>{pick(d.name)}</option>)}
            </select>
          </div>
          <div><label for="new-user-password">{t('initialPassword')}</label><input {...field('password')} type="password" autocomplete="new-password" /></div>
        </div>
        <fieldset aria-invalid={submit.invalid('roles')}>
          <legend>{t('roles')}</legend>
          {ROLES.map((r) => (
            <label key={r} class="inline">
              <input type="checkbox" checked={roles.includes(r)} onChange={(e) => setRoles(e.currentTarget.checked ? [...roles, r] : roles.filter((x) => x !== r))} /> {roleName(r)}
            </label>
          ))}
        </fieldset>
        {submit.shown}
        {oneTime && (
          <p class="ok" role="status">{t('oneTimePassword')} — {oneTime.username}: <code translate={false} data-testid="one-time-password">{oneTime.password}</code></p>
        )}
        <div class="buttons"><button type="submit" class="primary" disabled={submit.busy}>{t('create_')}</button></div>
      </form>
    </section>
  );
}

/** One user: display name, disabling (with the hand-over of their open tasks), roles and, for a global administrator, enabling and supervision. */
function UserDetail({ id, me, all, mine, onChanged }: { id: string; me: Me; all: Department[]; mine: Department[]; onChanged: () => void }) {
  const user = useLoad(() => get<User>(`/api/users/${id}`), [id]);
  const [displayName, setDisplayName] = useState<string | null>(null);
  const [comment, setComment] = useState('');
  const [role, setRole] = useState('');
  // The department a role is granted in: the user's own first (when the administrator's), until one is picked.
  const [pickedDept, setPickedDept] = useState<string | null>(null);
  const [handOver, setHandOver] = useState<HandOver | null>(null);
  const [supervised, setSupervised] = useState<string[] | null>(null);
  const rename = useSubmit();
  const state = useSubmit();
  const roles = useSubmit();
  const supervision = useSubmit();
  const global = isGlobalAdmin(me);
  const loaded = !!user.data;
  useEffect(() => { if (loaded) document.getElementById('user-title')?.scrollIntoView({ block: 'nearest' }); }, [loaded]);
  if (!user.data) return <Loading error={user.error} loading={user.loading} />;
  const u = user.data;
  const grantDept = pickedDept ?? (mine.find((d) => u.roles.some((g) => g.departmentId === d.id)) ?? mine[0])?.id ?? '';
  const changed = (text: string) => { user.reload(); onChanged(); return text; };
  const name = displayName ?? u.displayName;
  const oversees = supervised ?? u.roles.filter((g) => g.role === 'supervisor').map((g) => g.departmentId!);
  const grantable = global ? ROLES : DEPARTMENT_ROLES;
  return (
    <section class="card" aria-labelledby="user-title" data-testid="user-detail" data-username={u.username}>
      <h2 id="user-title">{personText(u)} <span class="muted" translate={false}>{u.username}</span> {u.disabled && <span class="tag tag-red">{t('disabledState')}</span>}</h2>

      <form class="row" onSubmit={(e) => { e.preventDefault(); void rename.run(async () => { await patch(`/api/users/${u.id}`, { displayName: name }); setDisplayName(null); return changed(t('saved')); }); }}>
        <div><label for="user-displayName">{t('displayName')}</label><input id="user-displayName" value={name} aria-invalid={rename.invalid('displayName')} onInput={(e) => setDisplayName(e.currentTarget.value)} /></div>
        <div class="buttons"><button type="submit" disabled={rename.busy}>{t('save')}</button></div>
      </form>
      {rename.shown}

      <h3>{t('accountState')}: {u.disabled ? t('disabledState') : t('active')}</h3>
      {u.disabled ? (
        global && <div class="buttons"><button type="button" disabled={state.busy} onClick={() => state.run(async () => { await post(`/api/users/${u.id}/enable`); return changed(t('saved')); })}>{t('enable')}</button></div>
      ) : (
        <form class="row" onSubmit={(e) => { e.preventDefault(); setHandOver(null); void state.run(async () => {
          const res = await post<{ tasks: HandOver }>(`/api/users/${u.id}/disable`, comment ? { comment } : {});
          setHandOver(res.tasks);
          setComment('');
          return changed(t('saved'));
        }); }}>
          <div><label for="user-disable-comment">{t('disableComment')}</label><input id="user-disable-comment" value={comment} aria-invalid={state.invalid('comment')} onInput={(e) => setComment(e.currentTarget.value)} /></div>
          <div class="buttons"><button type="submit" class="danger" disabled={state.busy}>{t('disable')}</button></div>
        </form>
      )}
      {state.shown}
      {u.disabled && global && <HeldTasks key={u.id} user={u} onHandedOn={setHandOver} />}

      <h3>{t('roles')}</h3>
      <ul data-testid="user-roles">
        {u.roles.map((g) => (
          <li key={`${g.role}@${g.departmentId}`} data-role={g.role} data-department={g.departmentId ?? ''}>
            {grantText(g)}{' '}
            {/* A department administrator's grants are in their departments only. */}
            {(global || mine.some((d) => d.id === g.departmentId)) && <button type="button" class="link" aria-label={`${t('revoke')}: ${grantText(g)}`} disabled={roles.busy} onClick={() => { setHandOver(null); void roles.run(async () => {
              const res = await del<{ tasks: HandOver }>(`/api/users/${u.id}/roles/${encodeURIComponent(g.role)}${query({ departmentId: g.departmentId })}`);
              if (res.tasks.reassigned.length || res.tasks.unassigned.length) setHandOver(res.tasks);
              return changed(t('saved'));
            }); }}>{t('revoke')}</button>}
          </li>
        ))}
      </ul>
      <form class="row" aria-label={t('grantRole')} onSubmit={(e) => { e.preventDefault(); setHandOver(null); void roles.run(async () => {
        const res = await post<{ tasks?: HandOver }>(`/api/users/${u.id}/roles`, { role, ...(grantDept ? { departmentId: grantDept } : {}) });
        if (res.tasks) setHandOver(res.tasks);
        return changed(t('saved'));
      }); }}>
        <div>
          <label for="grant-role">{t('role')}</label>
          <select id="grant-role" required value={role} aria-invalid={roles.invalid('role')} onChange={(e) => setRole(e.currentTarget.value)}>
            <option value="" disabled>{t('chooseRole')}</option>
            {grantable.map((r) => <option key={r} value={r}>{roleName(r)}</option>)}
          </select>
        </div>
        <div>
          <label for="grant-department">{t('department')}</label>
          <select id="grant-department" value={grantDept} aria-invalid={roles.invalid('departmentId')} onChange={(e) => setPickedDept(e.currentTarget.value)}>
            {global && <option value="">{t('global')}</option>}
            {mine.map((d) => <option key={d.id} value={d.id}>{pick(d.name)}</option>)}
          </select>
        </div>
        <div class="buttons"><button type="submit" disabled={roles.busy}>{t('grant')}</button></div>
      </form>
      {roles.shown}

      {handOver && <HandOverList tasks={handOver} />}

      {global && (
        <form onSubmit={(e) => { e.preventDefault(); void supervision.run(async () => { await put(`/api/users/${u.id}/supervision`, { departmentIds: oversees }); setSupervised(null); return changed(t('saved')); }); }}>
          <fieldset aria-invalid={supervision.invalid('departmentIds')}>
            <legend>{t('supervision')}</legend>
            <p class="muted">{t('supervisionHint')}</p>
            {all.map((d) => (
              <label key={d.id} class="inline">
                <input type="checkbox" name="supervision" value={d.id} checked={oversees.includes(d.id)} onChange={(e) => setSupervised(e.currentTarget.checked ? [...oversees, d.id] : oversees.filter((x) => x !== d.id))} /> {pick(d.name)}
              </label>
            ))}
          </fieldset>
          {supervision.shown}
          <div class="buttons"><button type="submit" disabled={supervision.busy}>{t('save')}: {t('supervision')}</button></div>
        </form>
      )}
    </section>
  );
}

/** What became of the open tasks a change took from a user, with the people and documents by name. */
function HandOverList({ tasks }: { tasks: HandOver }) {
  const names = useLoad(async () => {
    const userIds = [...new Set([...tasks.reassigned.map((r) => r.toUserId), ...tasks.unassigned.flatMap((u) => u.refused.map((r) => r.userId))])];
    const docIds = [...new Set([...tasks.reassigned, ...tasks.unassigned].map((x) => x.documentId))];
    const people = new Map(await Promise.all(userIds.map(async (uid) => [uid, await get<User>(`/api/users/${uid}`).then(personText, () => '—')] as const)));
    const titles = new Map(await Promise.all(docIds.map(async (did) => [did, await get<{ title: string }>(`/api/documents/${did}`).then((d) => d.title, () => '—')] as const)));
    return { people, titles };
  }, [tasks]);
  if (!tasks.reassigned.length && !tasks.unassigned.length) return <Alert kind="ok">{t('noHandOver')}</Alert>;
  if (!names.data) return <Loading error={names.error} loading={names.loading} />;
  const { people, titles } = names.data;
  const doc = (x: { documentId: string; stepKey: string }) => <><a {...linkProps(`/documents/${x.documentId}`)}>{titles.get(x.documentId)}</a> · {stateName(x.stepKey)}</>;
  return (
    <section aria-labelledby="handover-title" data-testid="hand-over">
      <h3 id="handover-title">{t('handOver')}</h3>
      <ul>
        {tasks.reassigned.map((r) => <li key={r.taskId} data-outcome="reassigned">{doc(r)} — {t('reassignedTo')} <strong>{people.get(r.toUserId)}</strong></li>)}
        {tasks.unassigned.map((r) => (
          <li key={r.taskId} data-outcome="unassigned" class="overdue">
            {doc(r)} — {colon(t('unassigned'), tx(`left:${r.reason}`))}
            {r.refused.length > 0 && <>（{r.refused.map((x) => colon(people.get(x.userId) ?? '—', refusalText(x))).join('；')}）</>}
          </li>
        ))}
      </ul>
    </section>
  );
}

/**
 * What a disabled user still holds by name (global administrators): the tasks nobody could take,
 * each linked; "hand on" disables again, so the system hands on what someone can now take (README,
 * "Handing on a user's open tasks"), and the outcome shows with each refusal in words.
 */
function HeldTasks({ user, onHandedOn }: { user: User; onHandedOn: (tasks: HandOver) => void }) {
  const held = useLoad(() => get<{ items: HeldTask[] }>(`/api/users/${user.id}/open-tasks`), [user.id]);
  const submit = useSubmit();
  const handOn = () => submit.run(async () => {
    const res = await post<{ tasks: HandOver }>(`/api/users/${user.id}/disable`, {});
    onHandedOn(res.tasks);
    held.reload();
    return fillIn(t('handOnOutcome'), { handed: res.tasks.reassigned.length, left: res.tasks.unassigned.length });
  });
  return (
    <section aria-labelledby="held-title" data-testid="held-tasks">
      <h3 id="held-title">{t('heldTitle')}</h3>
      <Loading error={held.error} loading={held.loading && !held.data} />
      {held.data && (held.data.items.length === 0 ? <p class="muted">{t('heldNone')}</p> : (
        <>
          <p class="muted">{t('heldHint')}</p>
          <ul>
            {held.data.items.map((x) => (
              <li key={x.id} data-task={x.id}>
                <a {...linkProps(`/documents/${x.documentId}`)}>{x.documentTitle}</a> · {pick(x.step.name)}{x.assigneeRole ? ` · ${roleName(x.assigneeRole)}` : ''}
              </li>
            ))}
          </ul>
          <div class="buttons"><button type="button" disabled={submit.busy} onClick={() => void handOn()}>{t('handOnAgain')}</button></div>
        </>
      ))}
      {submit.shown}
    </section>
  );
}
