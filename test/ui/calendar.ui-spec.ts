import { jest } from '@jest/globals';
import type { Page } from 'playwright-core';
import { REPORT_OUTLINE } from '../support/report-outline.js';
import { apiAs, screenshot, until, useUi } from './support.js';

/**
 * The calendar screen (工作日历) in Chromium against the real server: a global administrator sees
 * next year as the law alone gives it (provisional), has a notice that leaves out a statutory day
 * refused naming that day, then uploads the year's notice as a file; the open document whose due
 * date falls on a day the notice makes a day off shows the later date, no longer provisional, and
 * its timeline says why. Checked through the API and the configuration audit entry.
 */
jest.setTimeout(90_000);

const ui = useUi();

const loginAs = (username: string) => ui.signIn(username);

/** Today in Beijing, and the day after `date`. */
const beijingToday = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
const nextDay = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
const beijingDate = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10);

/** The due date a document's page shows (办理期限), as text. */
const dueShown = (page: Page) => page.locator('dt', { hasText: '办理期限' }).locator('+ dd').textContent();

test('an uploaded year’s notice moves the due date an open document shows and ends its provisional mark', async () => {
  const admin = await apiAs(ui.url, 'admin');
  // Next year, which no notice covers yet: the law's holidays, provisional.
  const year = Number(beijingToday().slice(0, 4)) + 1;
  const law = await admin(`/api/calendar/years/${year}`);
  expect(law).toMatchObject({ year, source: 'law', provisional: true });
  // A working day by the law early in that year, which the notice will make a day off.
  let day = `${year}-01-04`;
  while (!(await admin(`/api/calendar/days/${day}`)).working) day = nextDay(day);
  // The legal review's deadline, in working days, that falls on that day for a report submitted today.
  let low = 1;
  let high = 1000; // the most a query adds (API.md)
  while (low < high) {
    const mid = Math.floor((low + high) / 2);
    if ((await admin(`/api/calendar/working-days?from=${beijingToday()}&add=${mid}`)).date < day) low = mid + 1;
    else high = mid;
  }
  const chain = (await admin('/api/chains/annual-report/versions/1')).definition;
  chain.steps.find((s: { key: string }) => s.key === 'legal-review').deadline = { workingDays: low };
  await admin('/api/chains', chain);

  const drafter = await apiAs(ui.url, 'drafter');
  const doc = await drafter('/api/documents', { chain: 'annual-report', title: `市科技局${year - 1}年度法治政府建设情况报告`, year: year - 1, departmentId: 'city-sti', content: REPORT_OUTLINE });
  await drafter(`/api/documents/${doc.id}/actions`, { action: 'submit' });
  const before = await admin(`/api/documents/${doc.id}`);
  expect([beijingDate(before.dueAt), before.dueProvisional]).toEqual([day, true]);

  const page = await loginAs('admin');
  await page.goto(`${ui.url}/documents/${doc.id}`);
  await expect(dueShown(page)).resolves.toMatch(new RegExp(`^${day} \\d{2}:\\d{2}.*暂定`));

  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '工作日历' }).click();
  const shown = page.getByTestId('calendar-year');
  await page.locator(`[data-testid="calendar-year"][data-year="${year}"]`).waitFor();
  await expect(shown.getAttribute('data-source')).resolves.toBe('law');
  await expect(shown.textContent()).resolves.toContain('暂定');
  await expect(page.getByTestId('calendar-holidays').locator('tbody tr').count()).resolves.toBe(Object.keys(law.holidays).length);

  // A notice that leaves out a day the law gives off is refused, naming that day.
  const [dropped, ...kept] = Object.keys(law.holidays).sort();
  // The year's answer names each day { zh, en }; a notice names it in Chinese.
  const names: Record<string, string> = Object.fromEntries(Object.entries(law.holidays as Record<string, { zh: string }>).map(([d, l]) => [d, l.zh]));
  const partial = { year, holidays: Object.fromEntries(kept.map((d) => [d, names[d]])), workdays: {} };
  await page.getByLabel('JSON 内容').fill(JSON.stringify(partial));
  await page.getByRole('button', { name: '上传', exact: true }).click();
  const refusal = page.getByRole('alert').filter({ hasText: '填写的内容有误' });
  await refusal.waitFor();
  await expect(refusal.textContent()).resolves.toContain(`holidays.${dropped}`);
  await expect(page.getByLabel('JSON 内容').getAttribute('aria-invalid')).resolves.toBe('true');
  expect((await admin(`/api/calendar/years/${year}`)).source).toBe('law');

  // The notice as a file: the law's days off and one more, on the document's due date.
  const notice = { year, holidays: { ...names, [day]: '元旦' }, workdays: {} };
  await page.getByLabel('JSON 文件').setInputFiles({ name: `${year}.json`, mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(notice, null, 2)) });
  // The file is read asynchronously into the text box.
  await until('the file is in the text box', async () => (await page.getByLabel('JSON 内容').inputValue()).includes(`"${day}": "元旦"`));
  await page.getByRole('button', { name: '上传', exact: true }).click();
  await page.getByRole('status').filter({ hasText: `已上传年度安排 ${year}：1 份文稿的期限已重新计算` }).waitFor();
  await page.locator(`[data-testid="calendar-year"][data-source="uploaded"]`).waitFor();
  await expect(shown.getAttribute('data-provisional')).resolves.toBe('false');
  await expect(page.getByTestId('calendar-holidays').locator(`tr[data-date="${day}"]`).textContent()).resolves.toBe(`${day}元旦`);
  await expect(page.getByLabel('JSON 内容').getAttribute('aria-invalid')).resolves.toBeNull();
  await screenshot(page, 'calendar', { fullPage: true });

  // The document: due a working day later, no longer provisional, and its timeline says why.
  const after = await admin(`/api/documents/${doc.id}`);
  expect(beijingDate(after.dueAt) > day).toBe(true);
  expect(after.dueProvisional).toBe(false);
  expect((await admin(`/api/calendar/days/${day}`)).working).toBe(false);
  await page.goto(`${ui.url}/documents/${doc.id}`);
  await expect(dueShown(page)).resolves.toMatch(new RegExp(`^${beijingDate(after.dueAt)} \\d{2}:\\d{2}$`));
  await page.locator('[data-testid="timeline"] li[data-action="recompute-deadlines"]').filter({ hasText: '按公布的节假日安排重新计算期限' }).waitFor();

  const { items } = await admin('/api/audit?category=configuration&action=upload-calendar-year&limit=1');
  expect(items[0].details).toMatchObject({ year, before: { source: 'law' }, after: { source: 'uploaded' } });
});
