import { jest } from '@jest/globals';
import type { Page } from 'playwright-core';
import { REPORT_OUTLINE } from '../support/report-outline.js';
import { apiAs, PASSWORD, screenshot, until, useUi, walkSteps } from './support.js';

/**
 * The organisation screen (组织机构) in Chromium against the real server: a global administrator
 * creates a department and a user, grants and takes away a role, and disables a user whose open
 * task then goes to another holder of its role; a department administrator is refused a user who
 * also belongs to another department, and disables one holding a task nobody else may take, which a
 * global administrator then sees on the user's panel and hands on once someone may decide it. Each step is checked in what the page shows, in what the API
 * then holds, and in the configuration audit entry with its before and after.
 */
jest.setTimeout(60_000);

const ui = useUi();
let wangId = '';

const step = walkSteps(ui, 'organisation');

const loginAs = (username: string, password = PASSWORD) => ui.signIn(username, { password });

async function openOrganisation(page: Page) {
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '组织机构' }).click();
  await page.getByRole('heading', { name: '组织机构', level: 1 }).waitFor();
  await page.locator('[data-testid="users"] tbody tr').first().waitFor();
}

/** Opens a user's panel from the list. */
async function manage(page: Page, username: string) {
  await page.locator(`[data-testid="users"] tr[data-username="${username}"]`).getByRole('button', { name: /管理|Manage/ }).click();
  await page.locator(`[data-testid="user-detail"][data-username="${username}"]`).waitFor();
}

/** The newest configuration entry of `action` (the audit log lists the newest first). */
async function lastEntry(action: string) {
  const admin = await apiAs(ui.url, 'admin');
  const { items } = await admin(`/api/audit?category=configuration&action=${action}&limit=1`);
  expect(items).toHaveLength(1);
  return items[0];
}

const navLinks = async (page: Page) => page.getByRole('navigation', { name: '主导航' }).getByRole('link').allTextContents();

test('only administrators are offered 组织机构, and only a global administrator 工作日历', async () => {
  const admin = await loginAs('admin');
  await expect(navLinks(admin)).resolves.toEqual(expect.arrayContaining(['组织机构', '工作日历']));
  const drafter = await loginAs('drafter');
  const links = await navLinks(drafter);
  expect(links).not.toContain('组织机构');
  expect(links).not.toContain('工作日历');
  // Its address does not open the screen either.
  await drafter.goto(`${ui.url}/organisation`);
  await drafter.getByText('页面不存在').waitFor();
});

step('a global administrator creates a department; a malformed code and one already taken are refused, the field marked', async () => {
  const page = await loginAs('admin');
  await openOrganisation(page);
  const form = page.getByTestId('dept-new');
  await form.locator('#dept-new-id').fill('教育 局');
  await form.locator('#dept-new-name').fill('市教育局 / City education bureau');
  await form.getByRole('button', { name: '创建' }).click();
  await form.getByRole('alert').filter({ hasText: '填写的内容有误' }).waitFor();
  await expect(form.locator('#dept-new-id').getAttribute('aria-invalid')).resolves.toBe('true');
  await expect(form.locator('#dept-new-name').getAttribute('aria-invalid')).resolves.toBeNull();

  // A code already taken: 409, the field marked.
  await form.locator('#dept-new-id').fill('city-sti');
  await form.getByRole('button', { name: '创建' }).click();
  await form.getByRole('alert').filter({ hasText: '与当前状态冲突' }).waitFor();
  await expect(form.locator('#dept-new-id').getAttribute('aria-invalid')).resolves.toBe('true');

  await form.locator('#dept-new-id').fill('city-edu');
  await form.locator('#dept-new-office').selectOption({ label: '市委依法治市办' });
  await form.locator('#dept-new-issuer').fill('市教育局发');
  await form.getByRole('button', { name: '创建' }).click();
  const row = page.locator('[data-testid="departments"] tr[data-department="city-edu"]');
  await row.waitFor();
  await expect(row.textContent()).resolves.toMatch(/市教育局.*city-edu.*市委依法治市办.*市教育局发/);
  await expect(form.locator('#dept-new-id').getAttribute('aria-invalid')).resolves.toBeNull();

  const api = await apiAs(ui.url, 'admin');
  const { items } = await api('/api/departments');
  expect(items).toContainEqual(expect.objectContaining({ id: 'city-edu', name: '市教育局 / City education bureau', officeId: 'rule-of-law-office', issuerCode: '市教育局发' }));
  const entry = await lastEntry('create-department');
  expect(entry).toMatchObject({ departmentId: 'city-edu', actor: { type: 'user', role: 'admin' } });
  expect(entry.details).toEqual({ departmentId: 'city-edu', before: null, after: { id: 'city-edu', name: '市教育局 / City education bureau', officeId: 'rule-of-law-office', issuerCode: '市教育局发' } });
});

step('a global administrator creates a user in a department with a role; the generated password is shown once and works', async () => {
  const page = await loginAs('admin');
  await openOrganisation(page);
  await page.locator('#new-user-username').fill('wangfang');
  await page.locator('#new-user-displayName').fill('王芳 / Wang Fang');
  await page.locator('#new-user-departmentId').selectOption({ label: '市科技局' });
  await page.getByRole('group', { name: '角色' }).getByLabel('起草人').check();
  await page.getByRole('button', { name: '创建', exact: true }).last().click();
  const oneTime = (await page.getByTestId('one-time-password').textContent())!;
  expect(oneTime.length).toBeGreaterThanOrEqual(12);
  // The new user's panel opens, naming them by name and department.
  await expect(page.locator('#user-title').textContent()).resolves.toContain('王芳（市科技局）');
  await page.locator('[data-testid="users"] tr[data-username="wangfang"]').waitFor();
  await screenshot(page, 'organisation', { fullPage: true });

  // The password works once for its owner (who must replace it first).
  const changed = await fetch(`${ui.url}/api/auth/password`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'wangfang', password: oneTime, newPassword: PASSWORD }) });
  expect(changed.status).toBe(200);
  const wang = await apiAs(ui.url, 'wangfang');
  const me = await wang('/api/me');
  wangId = me.id;
  expect(me.roles).toEqual([{ role: 'drafter', departmentId: 'city-sti' }]);
  const entry = await lastEntry('create-user');
  expect(entry.details).toMatchObject({ userId: wangId, username: 'wangfang', before: null, after: { displayName: '王芳 / Wang Fang', roles: [{ role: 'drafter', departmentId: 'city-sti' }], disabled: false } });
  // Reloaded, the page no longer has it.
  await page.reload();
  await page.getByRole('heading', { name: '组织机构', level: 1 }).waitFor();
  await expect(page.getByTestId('one-time-password').count()).resolves.toBe(0);
});

step('the administrator grants a role in a department and takes one away', async () => {
  const page = await loginAs('admin');
  await openOrganisation(page);
  await manage(page, 'wangfang');
  await page.locator('#grant-role').selectOption({ label: '法律顾问' });
  await page.locator('#grant-department').selectOption({ label: '市科技局' });
  await page.getByRole('button', { name: '授予' }).click();
  const roles = page.getByTestId('user-roles');
  await roles.locator('li[data-role="legal-counsel"][data-department="city-sti"]').waitFor();
  const api = await apiAs(ui.url, 'admin');
  expect((await api(`/api/users/${wangId}`)).roles).toEqual(expect.arrayContaining([{ role: 'drafter', departmentId: 'city-sti' }, { role: 'legal-counsel', departmentId: 'city-sti' }]));
  const granted = await lastEntry('grant-role');
  expect(granted.details).toMatchObject({ userId: wangId, role: 'legal-counsel', departmentId: 'city-sti', before: [{ role: 'drafter', departmentId: 'city-sti' }] });
  expect(granted.details.after).toHaveLength(2);

  await page.getByRole('button', { name: '撤销: 起草人 · 市科技局' }).click();
  await roles.locator('li[data-role="drafter"]').waitFor({ state: 'detached' });
  expect((await api(`/api/users/${wangId}`)).roles).toEqual([{ role: 'legal-counsel', departmentId: 'city-sti' }]);
  const revoked = await lastEntry('revoke-role');
  expect(revoked.details).toMatchObject({ userId: wangId, role: 'drafter', departmentId: 'city-sti', after: [{ role: 'legal-counsel', departmentId: 'city-sti' }] });
  expect(revoked.details.before).toHaveLength(2);
});

step('the administrator renames a department and moves it under no office, renames a user, and sets whom a supervisor oversees', async () => {
  const page = await loginAs('admin');
  await openOrganisation(page);
  await page.getByRole('button', { name: '编辑: 市教育局' }).click();
  const form = page.getByTestId('dept-edit');
  await form.locator('#dept-edit-name').fill('市教育局 / Municipal education bureau');
  await form.locator('#dept-edit-office').selectOption({ label: '无' });
  await form.getByRole('button', { name: '保存' }).click();
  await page.locator('[data-testid="departments"] tr[data-department="city-edu"]').filter({ hasText: '—' }).waitFor();
  const updated = await lastEntry('update-department');
  expect(updated.details).toMatchObject({ departmentId: 'city-edu', before: { name: '市教育局 / City education bureau', officeId: 'rule-of-law-office' }, after: { name: '市教育局 / Municipal education bureau', officeId: null, issuerCode: '市教育局发' } });

  await manage(page, 'wangfang');
  await page.locator('#user-displayName').fill('王芳芳 / Wang Fangfang');
  await page.getByTestId('user-detail').getByRole('button', { name: '保存', exact: true }).click();
  await page.locator('#user-title').filter({ hasText: '王芳芳（市科技局）' }).waitFor();
  const renamed = await lastEntry('update-user');
  expect(renamed.details).toEqual({ userId: wangId, username: 'wangfang', before: { displayName: '王芳 / Wang Fang' }, after: { displayName: '王芳芳 / Wang Fangfang' } });

  await manage(page, 'supervisor');
  const scope = page.getByRole('group', { name: '督察范围' });
  await expect(scope.getByLabel('市科技局').isChecked()).resolves.toBe(true);
  await scope.getByLabel('市教育局').check();
  await page.getByRole('button', { name: '保存: 督察范围' }).click();
  await page.getByTestId('user-roles').locator('li[data-role="supervisor"][data-department="city-edu"]').waitFor();
  const supervised = await lastEntry('set-supervision');
  expect(supervised.details).toMatchObject({ username: 'supervisor', before: ['city-sti', 'rule-of-law-office'], after: ['city-edu', 'city-sti', 'rule-of-law-office'] });
});

step('the user list goes page by page', async () => {
  const admin = await apiAs(ui.url, 'admin');
  for (let i = 0; i < 12; i++) await admin('/api/users', { username: `clerk${i}`, displayName: `科员${i} / Clerk ${i}`, departmentId: 'city-edu', roles: ['drafter'] });
  const page = await loginAs('admin');
  await openOrganisation(page);
  const rows = page.locator('[data-testid="users"] tbody tr');
  const names = () => rows.evaluateAll((trs) => trs.map((r) => r.getAttribute('data-username')));
  const first = await names();
  expect(first).toHaveLength(20);
  await page.getByRole('button', { name: '下一页' }).click();
  await page.waitForFunction(() => (globalThis as any).document.querySelectorAll('[data-testid="users"] tbody tr').length < 20);
  const second = await names();
  const all = (await admin('/api/users?limit=100')).items.map((u: { username: string }) => u.username);
  expect([...first, ...second].sort()).toEqual([...all].sort());
  await expect(page.getByRole('button', { name: '下一页' }).isDisabled()).resolves.toBe(true);
  await page.getByRole('button', { name: '上一页' }).click();
  await page.waitForFunction(() => (globalThis as any).document.querySelectorAll('[data-testid="users"] tbody tr').length === 20);
  await expect(names()).resolves.toEqual(first);
  // The filters apply to the pages: the department's people only (its clerks, and the supervisor overseeing it).
  await page.locator('#users-departmentId').selectOption({ label: '市教育局' });
  await page.getByRole('button', { name: '查询' }).click();
  await page.waitForFunction(() => (globalThis as any).document.querySelectorAll('[data-testid="users"] tbody tr').length === 13);
  expect((await names()).sort()).toEqual([...Array.from({ length: 12 }, (_, i) => `clerk${i}`), 'supervisor'].sort());
});

step('disabling a user ends their logins and hands their open task to another holder of its role, shown by name', async () => {
  // An annual report in legal review, handed by counsel to 王芳 by name.
  const drafter = await apiAs(ui.url, 'drafter');
  const doc = await drafter('/api/documents', { chain: 'annual-report', title: '市科技局2025年度法治政府建设情况报告', year: 2025, departmentId: 'city-sti', content: REPORT_OUTLINE });
  await drafter(`/api/documents/${doc.id}/actions`, { action: 'submit' });
  const counsel = await apiAs(ui.url, 'counsel');
  const task = (await counsel(`/api/documents/${doc.id}`)).openTasks[0];
  await counsel(`/api/tasks/${task.id}/delegate`, { toUserId: wangId, comment: '请王芳审核' });
  const before = (await counsel(`/api/documents/${doc.id}`)).openTasks;
  expect(before).toEqual([expect.objectContaining({ assignee: expect.objectContaining({ userId: wangId }) })]);

  const page = await loginAs('admin');
  await openOrganisation(page);
  await manage(page, 'wangfang');
  await page.locator('#user-disable-comment').fill('调离本单位');
  await page.getByRole('button', { name: '停用', exact: true }).click();
  const handOver = page.getByTestId('hand-over');
  const item = handOver.locator('li[data-outcome="reassigned"]');
  await item.waitFor();
  const shown = (await item.textContent())!;
  expect(shown).toContain('市科技局2025年度法治政府建设情况报告');
  expect(shown).toMatch(/已转交给 (法律顾问|公职律师)（市科技局）/);
  expect(shown).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/); // people and documents by name, never an id
  await page.locator('#user-title').filter({ hasText: '已停用' }).waitFor();

  const admin = await apiAs(ui.url, 'admin');
  const after = (await admin(`/api/documents/${doc.id}`)).openTasks;
  expect(after).toHaveLength(1);
  expect(after[0].assignee.userId).not.toBe(wangId);
  const to = await admin(`/api/users/${after[0].assignee.userId}`);
  expect(shown).toContain(`${to.displayName.split(' / ')[0]}（市科技局）`);
  expect((await admin(`/api/users/${wangId}`)).disabled).toBe(true);
  const login = await fetch(`${ui.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'wangfang', password: PASSWORD }) });
  expect(login.status).toBe(401);
  const entry = await lastEntry('disable-user');
  expect(entry.details).toEqual({ userId: wangId, username: 'wangfang', before: { disabled: false }, after: { disabled: true }, comment: '调离本单位' });
  const history = await admin(`/api/documents/${doc.id}/history`);
  expect(JSON.stringify(history)).toContain('reassign');

  // The list's filter finds the disabled user, and only them.
  await page.locator('#users-enabled').selectOption({ label: '已停用' });
  await page.getByRole('button', { name: '查询' }).click();
  await page.waitForFunction(() => (globalThis as any).document.querySelectorAll('[data-testid="users"] tbody tr').length === 1);
  await expect(page.locator('[data-testid="users"] tbody tr').getAttribute('data-username')).resolves.toBe('wangfang');
});

step('a department administrator manages their department alone: a user who also belongs to another is refused, the refusal shown in the chosen language', async () => {
  const admin = await apiAs(ui.url, 'admin');
  const created = await admin('/api/users', { username: 'sti-admin', displayName: '科技局管理员 / STI administrator', password: 'first-Password-2026', departmentId: 'city-sti', roles: ['admin'] });
  await fetch(`${ui.url}/api/auth/password`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'sti-admin', password: 'first-Password-2026', newPassword: PASSWORD }) });
  const zhao = await admin('/api/users', { username: 'zhaolei', displayName: '赵磊 / Zhao Lei', password: 'first-Password-2026', departmentId: 'city-sti', roles: ['drafter'] });
  await admin(`/api/users/${zhao.id}/roles`, { role: 'drafter', departmentId: 'city-edu' });
  expect(created.id).toBeTruthy();

  const page = await loginAs('sti-admin');
  const links = await navLinks(page);
  expect(links).toContain('组织机构');
  expect(links).not.toContain('工作日历');
  await openOrganisation(page);
  // Only their own department is theirs to edit; no new accounts (a global administrator's).
  await expect(page.locator('[data-testid="departments"] tr[data-department="city-sti"]').getByRole('button', { name: /编辑/ }).count()).resolves.toBe(1);
  await expect(page.locator('[data-testid="departments"] tr[data-department="city-edu"]').getByRole('button').count()).resolves.toBe(0);
  await expect(page.getByRole('heading', { name: '新建人员' }).count()).resolves.toBe(0);
  // The people of their department only: not the rule-of-law office's.
  const usernames = await page.locator('[data-testid="users"] tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-username')));
  expect(usernames).toContain('zhaolei');
  expect(usernames).not.toContain('office');

  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { name: 'Organisation', level: 1 }).waitFor();
  await page.locator('[data-testid="users"] tr[data-username="zhaolei"]').waitFor();
  await manage(page, 'zhaolei');
  await expect(page.locator('#user-title').textContent()).resolves.toMatch(/^Zhao Lei \((Municipal education bureau, City science & technology bureau|City science & technology bureau, Municipal education bureau)\)/);
  // Only the grant in their own department is offered to revoke.
  const roles = page.getByTestId('user-roles');
  await expect(roles.locator('li[data-department="city-sti"]').getByRole('button', { name: /Revoke/ }).count()).resolves.toBe(1);
  await expect(roles.locator('li[data-department="city-edu"]').getByRole('button').count()).resolves.toBe(0);
  await page.getByRole('button', { name: 'Disable', exact: true }).click();
  await page.getByRole('alert').filter({ hasText: 'You may not do this' }).waitFor();
  await screenshot(page, 'organisation-refused');
  expect((await admin(`/api/users/${zhao.id}`)).disabled).toBe(false);
  const refusal = await admin(`/api/audit?category=security&actorId=${created.id}&limit=5`);
  expect(refusal.items).toContainEqual(expect.objectContaining({ action: 'access-denied', result: expect.anything(), details: expect.objectContaining({ attempted: 'disable-user' }) }));
});

/** A user of `departmentId` with a password they have replaced (so the tests sign in as them). */
async function person(username: string, displayName: string, departmentId: string, roles: string[]) {
  const admin = await apiAs(ui.url, 'admin');
  const created = await admin('/api/users', { username, displayName, password: 'first-Password-2026', departmentId, roles });
  await fetch(`${ui.url}/api/auth/password`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'first-Password-2026', newPassword: PASSWORD }) });
  return created.id as string;
}

step('a department administrator disables a user holding a task nobody else may take; a global administrator is told, sees it on the user’s panel with why, grants the role to someone and hands it on', async () => {
  // In 市教育局: a review naming 李审 in person; a seat nobody named may decide goes to the leader, who wrote the document.
  const eduAdmin = await person('edu-admin', '教育局管理员 / Education administrator', 'city-edu', ['admin']);
  await person('edu-writer', '周写 / Zhou Xie', 'city-edu', ['drafter', 'leader']);
  const reviewer = await person('edu-reviewer', '李审 / Li Shen', 'city-edu', ['legal-counsel']);
  const helper = await person('edu-helper', '孙助 / Sun Zhu', 'city-edu', ['drafter']);
  const admin = await apiAs(ui.url, 'admin');
  await admin('/api/chains', {
    key: 'edu-named-review',
    name: { zh: '指定审核', en: 'Named review' },
    initial: 'draft',
    steps: [
      { key: 'draft', name: { zh: '起草', en: 'Draft' }, editable: true, transitions: [{ action: 'submit', to: 'review', by: { role: 'drafter', department: 'document' } }] },
      { key: 'review', name: { zh: '指定审核', en: 'Named review' }, assignees: [{ userId: reviewer }], transitions: [{ action: 'approve', to: 'done' }] },
      { key: 'done', name: { zh: '完成', en: 'Done' }, final: true, transitions: [] },
    ],
  });
  const author = await apiAs(ui.url, 'edu-writer');
  const doc = await author('/api/documents', { chain: 'edu-named-review', title: '教育局指定审核件', year: 2026, departmentId: 'city-edu', content: '正文' });
  const task = (await author(`/api/documents/${doc.id}/actions`, { action: 'submit' })).openTasks[0];
  expect(task.assigneeUserId).toBe(reviewer);

  // The department administrator disables 李审: nobody may take the task (the only leader wrote the document).
  const deptPage = await loginAs('edu-admin');
  await openOrganisation(deptPage);
  await manage(deptPage, 'edu-reviewer');
  await deptPage.getByRole('button', { name: '停用', exact: true }).click();
  const left = deptPage.getByTestId('hand-over').locator('li[data-outcome="unassigned"]');
  await left.waitFor();
  await expect(left.textContent()).resolves.toMatch(/未能转交，待全局管理员处理：可以办理的人员均不能接手（周写（市教育局）：是文稿的起草人或编辑人）/);
  const disabled = await lastEntry('disable-user');
  expect(disabled).toMatchObject({ actor: { id: eduAdmin, departmentId: 'city-edu' }, details: { userId: reviewer, after: { disabled: true } } });
  // Recorded on the document, and every global administrator is told.
  const failed = (await admin(`/api/audit?documentId=${doc.id}&action=reassign`)).items;
  expect(failed).toEqual([expect.objectContaining({ result: 'failure', actor: expect.objectContaining({ type: 'system', id: 'organisation' }), details: expect.objectContaining({ taskId: task.id, handOn: expect.objectContaining({ cause: 'disable-user', by: expect.objectContaining({ id: eduAdmin }) }) }) })]);
  await until('the global administrator is told', async () => (await admin('/api/notifications')).items.some((n: { kind: string; taskId: string }) => n.kind === 'tasks-unassigned' && n.taskId === task.id));

  // The global administrator finds the disabled user, and on their panel the task they still hold, linked.
  const page = await loginAs('admin');
  await openOrganisation(page);
  await page.locator('#users-departmentId').selectOption({ label: '市教育局' });
  await page.getByRole('button', { name: '查询' }).click();
  await manage(page, 'edu-reviewer');
  const held = page.getByTestId('held-tasks');
  const item = held.locator(`li[data-task="${task.id}"]`);
  await item.waitFor();
  await expect(item.textContent()).resolves.toBe('教育局指定审核件 · 指定审核');
  await expect(item.getByRole('link', { name: '教育局指定审核件' }).getAttribute('href')).resolves.toBe(`/documents/${doc.id}`);
  // Handing on now changes nothing, and says why in words.
  await held.getByRole('button', { name: '转交待办' }).click();
  await held.getByRole('status').filter({ hasText: '已转交 0 项，仍无人可以接手 1 项' }).waitFor();
  await page.getByTestId('hand-over').locator('li[data-outcome="unassigned"]').filter({ hasText: '周写（市教育局）：是文稿的起草人或编辑人' }).waitFor();
  await screenshot(page, 'organisation-held-tasks', { fullPage: true });

  // Someone who may decide it: 孙助 is made a leader of 市教育局; handing on again gives them the task.
  await manage(page, 'edu-helper');
  await page.locator('#grant-role').selectOption({ label: '主要负责人 / 分管领导' });
  await page.locator('#grant-department').selectOption({ label: '市教育局' });
  await page.getByRole('button', { name: '授予' }).click();
  await page.getByTestId('user-roles').locator('li[data-role="leader"][data-department="city-edu"]').waitFor();
  await manage(page, 'edu-reviewer');
  await page.getByTestId('held-tasks').locator(`li[data-task="${task.id}"]`).waitFor();
  await page.getByTestId('held-tasks').getByRole('button', { name: '转交待办' }).click();
  await page.getByTestId('held-tasks').getByRole('status').filter({ hasText: '已转交 1 项，仍无人可以接手 0 项' }).waitFor();
  await page.getByTestId('hand-over').locator('li[data-outcome="reassigned"]').filter({ hasText: '已转交给 孙助（市教育局）' }).waitFor();
  await page.getByTestId('held-tasks').getByText('没有仍由其持有的待办').waitFor();

  // The API and the audit log agree: 孙助 holds it, handed on by the system for the global administrator.
  const open = (await admin(`/api/documents/${doc.id}`)).openTasks;
  expect(open).toEqual([expect.objectContaining({ id: task.id, assigneeUserId: helper, delegatedFrom: reviewer })]);
  const me = await admin('/api/me');
  const reassigns = (await admin(`/api/audit?documentId=${doc.id}&action=reassign`)).items;
  expect(reassigns[0]).toMatchObject({ result: 'success', actor: { type: 'system', id: 'organisation' }, details: { taskId: task.id, delegateTo: helper, handOn: { cause: 'disable-user', userId: reviewer, by: { id: me.id } } } });
  expect((await lastEntry('grant-role')).details).toMatchObject({ userId: helper, role: 'leader', departmentId: 'city-edu' });
});
