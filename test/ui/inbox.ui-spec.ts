import { jest } from '@jest/globals';
import type { Page } from 'playwright-core';
import { REPORT_OUTLINE } from '../support/report-outline.js';
import { apiAs, until, useUi } from './support.js';

/**
 * The inbox for real work, in Chromium against the real server: 待办 most urgent first with the 暂定
 * mark on a date in a year without the official calendar, a filter by chain and by due date, more than
 * one page (加载更多), and 已办 with the decision. Checked against the API.
 */
jest.setTimeout(180_000);

const ui = useUi();

const loginAs = (username: string) => ui.signIn(username);

const rows = (page: Page) => page.locator('table.tasks tbody tr');
const titles = (page: Page) => page.locator('table.tasks tbody tr td:nth-child(2)').allTextContents();
/** Waits until the open tasks' titles are `expected` (the list loads after the page). */
const showsTitles = (page: Page, expected: string[]) => until(`the inbox shows ${expected.join(', ')}`, async () => JSON.stringify(await titles(page)) === JSON.stringify(expected));

test('待办 most urgent first with 暂定, filtered by chain and due date, past one page; 已办 with the decision', async () => {
  const admin = await apiAs(ui.url, 'admin');
  const drafter = await apiAs(ui.url, 'drafter');
  const counsel = await apiAs(ui.url, 'counsel');
  // A chain whose legal review takes 400 calendar days: its due date lies in a year no notice covers yet.
  const far = (await admin('/api/chains/annual-report/versions/1')).definition;
  Object.assign(far, { key: 'far-review', name: { zh: '长期审查', en: 'Long review' }, uniquePerDepartmentAndYear: false });
  far.steps.find((s: { key: string }) => s.key === 'legal-review').deadline = { calendarDays: 400 };
  delete far.milestones;
  await admin('/api/chains', far);
  const submit = async (chain: string, title: string, year: number) => {
    const doc = await drafter('/api/documents', { chain, title, year, departmentId: 'city-sti', content: REPORT_OUTLINE });
    await drafter(`/api/documents/${doc.id}/actions`, { action: 'submit' });
    return doc.id as string;
  };
  // Created first, due last: the inbox puts the near one first all the same.
  const farId = await submit('far-review', '远期文稿', 2026);
  const nearId = await submit('annual-report', '近期文稿', 2025);
  const tasks = (await counsel('/api/tasks?status=open&limit=10')).items as { documentId: string; dueProvisional: boolean; chainKey: string; dueAt: string }[];
  expect(tasks.map((x) => [x.documentId, x.chainKey, x.dueProvisional])).toEqual(expect.arrayContaining([[farId, 'far-review', true], [nearId, 'annual-report', false]]));

  const page = await loginAs('counsel');
  await page.getByRole('heading', { name: '待办任务' }).waitFor();
  await showsTitles(page, ['近期文稿', '远期文稿']);
  await expect(rows(page).nth(1).textContent()).resolves.toContain('暂定');
  await expect(rows(page).nth(0).textContent()).resolves.not.toContain('暂定');

  // By chain, then by due date (the near one only).
  await page.getByLabel('审批链').selectOption({ label: '长期审查' });
  await showsTitles(page, ['远期文稿']);
  await page.getByLabel('审批链').selectOption({ label: '全部审批链' });
  const nearDue = tasks.find((x) => x.documentId === nearId)!.dueAt;
  await page.getByLabel('到期不晚于').fill(new Date(Date.parse(nearDue) + 8 * 3_600_000).toISOString().slice(0, 10));
  await showsTitles(page, ['近期文稿']);
  await page.getByLabel('到期不晚于').fill('');

  // 已办: the counsel approves the near one; it leaves 待办 and shows in 已办 with the decision.
  await page.getByRole('link', { name: '近期文稿' }).click();
  await page.getByRole('button', { name: '通过', exact: true }).click();
  await page.getByRole('link', { name: '待办任务' }).click();
  await showsTitles(page, ['远期文稿']);
  await page.getByRole('tab', { name: '已办' }).click();
  const done = page.getByTestId('done-tasks').locator('tbody tr');
  await until('已办 lists the decided task', async () => JSON.stringify(await done.allTextContents()).includes('近期文稿法制审核通过'));
  await expect(done.allTextContents()).resolves.toEqual([expect.stringMatching(/近期文稿法制审核通过/)]);
  expect((await counsel('/api/tasks?status=done')).items.map((x: { documentId: string; decision: string }) => [x.documentId, x.decision])).toEqual([[nearId, 'approve']]);

  // More than a page of open tasks: the next page comes with 加载更多.
  for (let i = 0; i < 200; i++) await submit('far-review', `批量文稿${String(i).padStart(3, '0')}`, 2026);
  await page.getByRole('tab', { name: '待办' }).click();
  await page.reload();
  await page.getByRole('heading', { name: '待办任务' }).waitFor();
  await rows(page).first().waitFor();
  await expect(rows(page).count()).resolves.toBe(200);
  await page.getByRole('button', { name: '加载更多' }).click();
  await until('the second page is shown', async () => (await rows(page).count()) === 201);
  await expect(page.getByRole('button', { name: '加载更多' }).count()).resolves.toBe(0);
});
