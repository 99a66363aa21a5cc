import { jest } from '@jest/globals';
import type { Page } from 'playwright-core';
import { REPORT_OUTLINE } from '../support/report-outline.js';
import { apiAs, screenshot, until, useUi } from './support.js';

/**
 * 个人设置 (/me) in Chromium against the real server: a legal counsel names the lawyer as substitute
 * while away (the API lists it, a task then reaches the lawyer on the counsel's behalf) and ends it, is
 * refused the supervisor with the reason; the rule-of-law office opens a document copied to it (抄送给我的),
 * read thereafter; the drafter saves notification settings. In English the screen has no Chinese but names.
 */
jest.setTimeout(180_000);

const ui = useUi();

interface Proxy { id: string; substituteId: string; startsAt: string; endsAt: string }
interface Settings { email: string | null; kinds: Record<string, { inApp: boolean; email: boolean }> }
interface Notification { id: string; kind: string; documentId: string | null; readAt: string | null }

/** The Beijing date `days` from today (the form takes whole days in Beijing time). */
const beijingDate = (days = 0) => new Date(Date.now() + 8 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);
const idOf = async (username: string) => (await (await apiAs(ui.url, username))<{ id: string }>('/api/me')).id;
const openSettings = async (page: Page, heading = '个人设置') => {
  await page.getByRole('link', { name: heading === '个人设置' ? '个人设置' : 'My settings' }).click();
  await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
};

let year = 2030;
/** A report of the demo department by the drafter, submitted (to legal review) or left in draft. */
async function report(title: string, submit: boolean): Promise<string> {
  const drafter = await apiAs(ui.url, 'drafter');
  const doc = await drafter('/api/documents', { chain: 'annual-report', title, year: year++, departmentId: 'city-sti', content: REPORT_OUTLINE });
  if (submit) await drafter(`/api/documents/${doc.id}/actions`, { action: 'submit' });
  return doc.id as string;
}

test('代理人: the counsel names the lawyer while away, a task reaches the lawyer on their behalf, the supervisor is refused, the window ends', async () => {
  const counsel = await apiAs(ui.url, 'counsel');
  const [counselId, lawyerId, leaderId] = await Promise.all([idOf('counsel'), idOf('lawyer'), idOf('leader')]);
  const page = await ui.signIn('counsel');
  await openSettings(page);
  const proxies = page.getByTestId('proxies');
  await proxies.getByText('当前没有生效或待生效的代理').waitFor();

  // From today to a week ahead, by the person's name.
  await page.getByLabel('代理人', { exact: true }).selectOption({ label: '公职律师' });
  await expect(page.getByLabel('开始日期').inputValue()).resolves.toBe(beijingDate());
  await page.getByLabel('结束日期（含当天）').fill(beijingDate(7));
  await page.getByLabel('说明（选填）').fill('出差');
  await page.getByRole('button', { name: '设定代理人' }).click();
  await expect(proxies.getByRole('status').textContent()).resolves.toBe('已设定代理人');
  const row = proxies.locator('tbody tr');
  await until('the window is listed', async () => (await row.count()) === 1);
  await expect(row.locator('td').allTextContents()).resolves.toEqual(['公职律师', `${beijingDate()} 00:00`, `${beijingDate(7)} 23:59`, '生效中', '结束代理']);
  const listed = (await counsel<{ items: Proxy[] }>('/api/me/proxies')).items;
  expect(listed).toEqual([expect.objectContaining({ substituteId: lawyerId, startsAt: new Date(`${beijingDate()}T00:00:00+08:00`).toISOString(), endsAt: new Date(`${beijingDate(7)}T23:59:59+08:00`).toISOString() })]);

  // The supervisor may not stand in: refused with the field and the reason in words; nothing is added.
  await page.getByLabel('代理人', { exact: true }).selectOption({ label: '督察员' });
  await page.getByRole('button', { name: '设定代理人' }).click();
  await expect(proxies.getByRole('alert').textContent()).resolves.toBe('未能设定代理人。代理人：督察员不办理审批事项，不能担任代理人');
  await expect(page.getByLabel('代理人', { exact: true }).getAttribute('aria-invalid')).resolves.toBe('true');
  expect((await counsel<{ items: Proxy[] }>('/api/me/proxies')).items.map((p) => p.substituteId)).toEqual([lawyerId]);

  // A role's task goes to a substitute once every holder is away: the lawyer is away too (to the leader).
  // Holders are taken in id order, the counsel (a demo user) before the lawyer (added after them): the
  // lawyer takes the review on the counsel's behalf, and it leaves the counsel's inbox.
  const lawyer = await apiAs(ui.url, 'lawyer');
  await lawyer('/api/me/proxies', { substituteId: leaderId, startsAt: new Date().toISOString(), endsAt: new Date(Date.now() + 86_400_000).toISOString() });
  const docId = await report('代理期间的年度报告', true);
  const seen = await lawyer<{ openTasks: { id: string; assigneeUserId: string | null; delegatedFrom: string | null }[]; allowedActions: { action: string }[] }>(`/api/documents/${docId}`);
  expect(seen.openTasks).toEqual([expect.objectContaining({ assigneeUserId: lawyerId, delegatedFrom: counselId })]);
  expect(seen.allowedActions.map((a) => a.action)).toContain('approve');
  expect((await counsel<{ items: { documentId: string }[] }>('/api/tasks?status=open')).items.map((x) => x.documentId)).not.toContain(docId);

  // Ended from the list: gone from the API's list too.
  await page.getByRole('button', { name: '结束代理：公职律师' }).click();
  await until('the window is ended', async () => (await proxies.getByRole('status').textContent().catch(() => '')) === '已结束代理：公职律师');
  await until('the list is empty', async () => (await row.count()) === 0);
  expect((await counsel<{ items: Proxy[] }>('/api/me/proxies')).items).toEqual([]);
});

test('抄送给我的: a document copied to the office is listed with who, when and the comment, opens, and is read thereafter', async () => {
  const drafter = await apiAs(ui.url, 'drafter');
  const office = await apiAs(ui.url, 'office');
  const officeId = await idOf('office');
  const docId = await report('抄送的年度报告', false);
  await drafter(`/api/documents/${docId}/copies`, { userIds: [officeId], comment: '请知悉' });
  const copy = (await office<{ items: Notification[] }>('/api/notifications')).items.find((n) => n.kind === 'copy-to' && n.documentId === docId)!;
  expect(copy.readAt).toBeNull();

  const page = await ui.signIn('office');
  await openSettings(page);
  const row = page.getByTestId('copies').locator(`tbody tr[data-document="${docId}"]`);
  await row.waitFor();
  const cells = await row.locator('td').allTextContents();
  expect(cells).toEqual(['抄送的年度报告', '起草人', expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d$/), '请知悉', '未读']);
  await row.getByRole('link', { name: '抄送的年度报告' }).click();
  await page.getByRole('heading', { name: '抄送的年度报告' }).waitFor();
  expect(page.url()).toBe(`${ui.url}/documents/${docId}`);
  await until('the copy is read in the API', async () => (await office<{ items: Notification[] }>('/api/notifications')).items.find((n) => n.id === copy.id)!.readAt !== null);
  expect((await office<{ items: { documentId: string; read: boolean }[] }>('/api/me/copies')).items.find((c) => c.documentId === docId)).toMatchObject({ read: true });

  await page.goBack();
  await page.getByRole('heading', { name: '个人设置', level: 1 }).waitFor();
  await until('the copy shows as read', async () => (await row.getAttribute('data-read').catch(() => null)) === 'true');
  await expect(row.locator('td').last().textContent()).resolves.toBe('已读');
});

test('通知设置: the drafter saves an address and channels per kind, read back from the API; a bad address is refused', async () => {
  const drafter = await apiAs(ui.url, 'drafter');
  const before = await drafter<Settings>('/api/notifications/settings');
  expect(before.kinds.urge).toEqual({ inApp: true, email: true });
  const page = await ui.signIn('drafter');
  await openSettings(page);
  const form = page.getByTestId('notification-settings');

  // The browser takes an address without a dot in its domain; the API does not, and says why.
  await page.getByLabel('接收通知的电子邮箱（留空则不发邮件）').fill('drafter@localhost');
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await expect(form.getByRole('alert').textContent()).resolves.toBe('通知设置未保存。接收通知的电子邮箱（留空则不发邮件）：须为电子邮箱地址，如 name@example.gov.cn，或留空');
  await expect(page.getByLabel('接收通知的电子邮箱（留空则不发邮件）').getAttribute('aria-invalid')).resolves.toBe('true');
  expect(await drafter<Settings>('/api/notifications/settings')).toEqual(before);

  await page.getByLabel('接收通知的电子邮箱（留空则不发邮件）').fill('drafter@example.gov.cn');
  await page.getByLabel('催办：电子邮件').uncheck();
  await page.getByLabel('期限提醒：站内通知').uncheck();
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await expect(form.getByRole('status').textContent()).resolves.toBe('通知设置已保存');
  const after = await drafter<Settings>('/api/notifications/settings');
  expect(after).toEqual({
    email: 'drafter@example.gov.cn',
    kinds: { ...before.kinds, urge: { inApp: true, email: false }, remind: { inApp: false, email: true } },
  });

  // Shown again as saved after a reload.
  await page.reload();
  await page.getByRole('heading', { name: '个人设置', level: 1 }).waitFor();
  await expect(page.getByLabel('接收通知的电子邮箱（留空则不发邮件）').inputValue()).resolves.toBe('drafter@example.gov.cn');
  await expect(page.getByLabel('催办：电子邮件').isChecked()).resolves.toBe(false);
  await expect(page.getByLabel('期限提醒：站内通知').isChecked()).resolves.toBe(false);
  await expect(page.getByLabel('催办：站内通知').isChecked()).resolves.toBe(true);
});

test('in English the screen has no Chinese but names and documents, and fits a 390 px phone', async () => {
  const counsel = await apiAs(ui.url, 'counsel');
  const drafter = await apiAs(ui.url, 'drafter');
  const lawyerId = await idOf('lawyer');
  await counsel('/api/me/proxies', { substituteId: lawyerId, startsAt: new Date(`${beijingDate(1)}T00:00:00+08:00`).toISOString(), endsAt: new Date(`${beijingDate(5)}T23:59:59+08:00`).toISOString() });
  const docId = await report('抄送给法律顾问的年度报告', false);
  await drafter(`/api/documents/${docId}/copies`, { userIds: [await idOf('counsel')], comment: '请审阅' });

  const page = await ui.signIn('counsel');
  await openSettings(page);
  await page.getByTestId('copies').locator(`tbody tr[data-document="${docId}"]`).waitFor();
  await page.getByTestId('proxies').locator('tbody tr').first().waitFor();
  await expect(page.getByTestId('proxies').locator('tbody tr td').nth(3).textContent()).resolves.toBe('未开始');
  await screenshot(page, 'personal-settings', { docs: true, fullPage: true });

  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { name: 'My settings', level: 1 }).waitFor();
  await page.getByTestId('copies').locator(`tbody tr[data-document="${docId}"]`).waitFor();
  await page.getByTestId('notification-settings').locator('tbody tr').first().waitFor();
  // What the users wrote (the title, the comment) stays as written; everything else is English.
  const text = (await page.locator('main').innerText()).replaceAll('抄送给法律顾问的年度报告', '').replaceAll('请审阅', '');
  expect(text.match(/[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+/g)).toBeNull();
  await expect(page.getByTestId('proxies').locator('tbody tr td').first().textContent()).resolves.toBe('Public-service lawyer');
  await expect(page.getByTestId('copies').locator(`tbody tr[data-document="${docId}"] td`).nth(1).textContent()).resolves.toBe('Drafter');

  // A phone: nothing wider than the screen (the tables scroll in their own box).
  await page.setViewportSize({ width: 390, height: 844 });
  await page.getByRole('heading', { name: 'My settings', level: 1 }).waitFor();
  expect(await page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
  await page.getByRole('button', { name: '中文' }).click();
});
