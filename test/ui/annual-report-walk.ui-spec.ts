import { jest } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { defaultReportYear } from '../../apps/web/src/report-template.js';
import { REPORT_OUTLINE } from '../support/report-outline.js';
import { apiAs, ensureWebBuild, launchChromium, PASSWORD, screenshot, startUiServer, until, type UiServer } from './support.js';

/**
 * The annual report through the web UI, in Debian's Chromium against the real server (a child
 * process on a fresh SQLite file): the drafter creates the report from the template and submits
 * it, legal counsel returns it with a reason, the drafter resubmits, counsel approves, the Party
 * group secretary approves in bulk from the inbox, the rule-of-law office approves with the
 * keyboard, the drafter records the disclosure, and a supervisor verifies the audit log. Each
 * step checks what the page shows and what the API then holds.
 */
jest.setTimeout(60_000);

let server: UiServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
const TITLE = '市科技局2025年度法治政府建设情况报告';
const REASON = '第一责任人履职情况需补充具体事例，请修改后重新提交';
let documentId = '';
let failed = '';

/** The walk's steps build on each other: after one fails, the rest fail at once instead of timing out. */
function step(name: string, fn: () => Promise<void>) {
  test(name, async () => {
    if (failed) throw new Error(`skipped: an earlier step failed (${failed})`);
    try {
      await fn();
    } catch (err) {
      failed = name;
      const page = contexts.at(-1)?.pages().at(-1);
      if (page) await screenshot(page, 'failure', { fullPage: true }).catch(() => undefined);
      throw err;
    }
  });
}

/** A new browser context signed in as `username`; `browserTime` fixes the browser's clock (the server's runs on). */
async function loginAs(username: string, viewport = { width: 1280, height: 800 }, browserTime?: string): Promise<Page> {
  const context = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  contexts.push(context);
  context.setDefaultTimeout(15_000);
  if (browserTime) await context.clock.setFixedTime(browserTime);
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error(`page error (${username}): ${err.message}`));
  await page.goto(`${server.url}/`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByTestId('who').waitFor();
  return page;
}

/** The main navigation's links marked as where the page is (aria-current), by their text. */
async function navMarked(page: Page) {
  const links = page.getByRole('navigation', { name: '主导航' }).getByRole('link');
  const marked: string[] = [];
  for (const link of await links.all()) if (await link.getAttribute('aria-current')) marked.push((await link.textContent())!);
  return marked;
}

/** Dates on the page are written one way in both languages: YYYY-MM-DD, and YYYY-MM-DD HH:mm for times. */
async function expectOneDateFormat(page: Page) {
  const text = await page.locator('#main').innerText();
  expect(text).toMatch(/\d{4}-\d{2}-\d{2}/);
  expect(text).not.toMatch(/\d{4}\/\d{1,2}\/\d{1,2}|\d{1,2}\/\d{1,2}\/\d{4}|\d{4}年\d{1,2}月\d{1,2}日/);
  for (const time of await page.locator('#main time').allTextContents()) expect(time).toMatch(/^\d{4}-\d{2}-\d{2}( \d{2}:\d{2})?$/);
}

async function stateOf(page: Page, state: string) {
  await page.locator(`[data-testid="doc-state"][data-state="${state}"]`).waitFor();
}

/** Opens the task for our document from the inbox. */
async function openFromInbox(page: Page) {
  await page.getByRole('link', { name: '待办任务' }).click();
  await page.getByRole('link', { name: TITLE }).click();
  await page.locator('.diagram[data-ready="true"]').waitFor({ timeout: 20_000 });
}

beforeAll(async () => {
  ensureWebBuild();
  [server, browser] = await Promise.all([startUiServer(), launchChromium()]);
}, 240_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
});

test('the service serves the UI at / and client routes, and keeps the API JSON 404', async () => {
  const index = await fetch(`${server.url}/inbox`);
  expect(index.status).toBe(200);
  expect(index.headers.get('content-type')).toMatch(/text\/html/);
  expect(await index.text()).toContain('<div id="app">');
  const api404 = await fetch(`${server.url}/api/no-such-route`);
  expect(api404.status).toBe(404);
  expect(await api404.json()).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
});

test('a wrong password is refused on the login page', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${server.url}/`);
  await screenshot(page, '01-login');
  await page.getByLabel('用户名').fill('drafter');
  await page.getByLabel('密码').fill('wrong-password');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('alert').textContent()).resolves.toContain('用户名或密码错误');
});

step('a new report’s year defaults from the server’s clock (the report due next), not the browser’s', async () => {
  // The browser believes it is 15 January 2031 (which would mean the 2030 report); the server's date decides.
  const page = await loginAs('drafter', undefined, '2031-01-15T10:00:00+08:00');
  await page.getByRole('heading', { name: '我的文稿' }).waitFor();
  const serverToday = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  const year = defaultReportYear(serverToday);
  expect(year).not.toBe(2030);
  await expect(page.getByLabel('年度', { exact: true }).inputValue()).resolves.toBe(String(year));
  await expect(page.getByRole('textbox', { name: '正文' }).inputValue()).resolves.toContain(`一、${year}年度推进法治政府建设的主要举措和成效`);
});

step('the drafter creates the report from the template (four mandated headings); the untouched template is refused; she writes each section and submits it', async () => {
  const page = await loginAs('drafter');
  await page.getByRole('heading', { name: '我的文稿' }).waitFor();
  await expect(page.getByTestId('who').textContent()).resolves.toMatch(/起草人.*市科技局/);
  // The form's default year and its template come from the server's date: typed over only once they are in place.
  const body = page.getByRole('textbox', { name: '正文' });
  await until('the template for the default year', async () => /一、\d{4}年度推进法治政府建设的主要举措和成效/.test(await body.inputValue()));
  await page.getByLabel('年度', { exact: true }).fill('2025');
  await until('the template for 2025', async () => (await body.inputValue()).includes('一、2025年度推进法治政府建设的主要举措和成效'));
  const content = await body.inputValue();
  for (const heading of ['一、2025年度推进法治政府建设的主要举措和成效', '二、党政主要负责人履行推进法治建设第一责任人职责情况', '三、推进法治政府建设存在的不足和原因', '四、2026年度推进法治政府建设的主要安排']) {
    expect(content).toContain(heading);
  }
  await screenshot(page, '02-my-documents-new');
  await page.getByRole('button', { name: '创建' }).click();
  await stateOf(page, 'draft');
  documentId = page.url().split('/documents/')[1]!;
  await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(TITLE);

  // The untouched template says nothing under its headings: submitting it is refused, naming the four sections.
  await page.getByRole('button', { name: '提交审核' }).click();
  const refusal = await page.getByRole('alert').textContent();
  // In the page's language, naming the sections: no status, code or JSON.
  expect(refusal).toContain('正文缺少规定的内容：');
  expect(refusal).not.toMatch(/CONTENT_CHECK_FAILED|422|[{}"]/);
  for (const section of ['主要举措和成效', '第一责任人职责履行情况', '存在的不足和原因', '下一年度主要安排']) expect(refusal).toContain(section);
  await stateOf(page, 'draft');

  // A second report for the same year is refused in words, not "409 DUPLICATE_DOCUMENT: city-sti already has …".
  // With reports for 2025 and for the default year, the form offers the latest year without one.
  const drafterApi = await apiAs(server.url, 'drafter');
  const serverToday = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  const year = defaultReportYear(serverToday);
  const taken = [...new Set([2025, year])];
  if (year !== 2025) await drafterApi('/api/documents', { chain: 'annual-report', title: `另一份${year}年度报告`, year, departmentId: 'city-sti', content: REPORT_OUTLINE });
  const again = await loginAs('drafter');
  await again.getByRole('heading', { name: '我的文稿' }).waitFor();
  await until('the form offers the latest year without a report', async () => (await again.getByLabel('年度', { exact: true }).inputValue()) === String(defaultReportYear(serverToday, taken)));
  expect(defaultReportYear(serverToday, taken)).toBeLessThan(Math.min(...taken));
  await again.getByLabel('年度', { exact: true }).fill('2025');
  await again.getByRole('button', { name: '创建' }).click();
  const duplicate = await again.getByRole('alert').textContent();
  expect(duplicate).toBe('本部门该年度已有同类文稿');
  await again.close();

  await page.getByRole('button', { name: '编辑' }).click();
  const written = content
    .replace('（请写明本年度推进法治政府建设的主要举措和取得的成效。）', '全面推进依法行政，完成行政规范性文件合法性审核12件。')
    .replace('（请写明主要负责人履行推进法治建设第一责任人职责、加强法治政府建设的有关情况。）', '局党组书记专题研究法治建设工作2次。')
    .replace('（请写明存在的不足和原因。）', '法治工作队伍力量有待加强。')
    .replace('（请写明下一年度推进法治政府建设的主要安排。）', '进一步加强科技领域法律法规宣传教育。');
  await page.getByRole('textbox', { name: '正文' }).fill(written);
  await page.getByRole('button', { name: '保存' }).click();
  await page.getByTestId('doc-content').filter({ hasText: '合法性审核12件' }).waitFor();

  await page.getByRole('button', { name: '提交审核' }).click();
  await stateOf(page, 'legal-review');
  await page.locator('.diagram[data-ready="true"]').waitFor({ timeout: 20_000 });
  const api = await apiAs(server.url, 'drafter');
  expect(await api(`/api/documents/${documentId}`)).toMatchObject({ state: 'legal-review', version: 3 });
});

step('legal counsel finds it in the inbox and returns it; a reason is required', async () => {
  // The drafter has the service open meanwhile: the return reaches their page live.
  const drafterMeanwhile = await loginAs('drafter');
  const unreadBefore = Number(await drafterMeanwhile.getByTestId('unread-count').textContent());
  const page = await loginAs('counsel');
  await page.getByRole('heading', { name: '待办任务' }).waitFor();
  const row = page.locator('table.tasks tbody tr', { hasText: TITLE });
  await expect(row.locator('td').nth(2).textContent()).resolves.toBe('法制审核');
  await screenshot(page, 'inbox', { docs: true });
  await openFromInbox(page);
  // A reviewer reading a document from the inbox is still in the inbox, not in 我的文稿.
  await expect(navMarked(page)).resolves.toEqual(['待办任务']);
  await screenshot(page, 'document', { fullPage: true, docs: true });
  // The current step is marked on the diagram.
  expect(await page.locator('.diagram svg .current').count()).toBeGreaterThan(0);
  await page.locator('[data-testid="timeline"] time').first().waitFor();
  await expectOneDateFormat(page);

  await page.getByRole('button', { name: '退回' }).click();
  await expect(page.locator('#return-reason-error').textContent()).resolves.toBe('请填写退回理由');
  await expect(page.getByLabel('退回理由（必填）').getAttribute('aria-invalid')).resolves.toBe('true');
  await stateOf(page, 'legal-review');
  await page.getByLabel('退回理由（必填）').fill(REASON);
  await page.getByRole('button', { name: '退回' }).click();
  await stateOf(page, 'draft');
  await page.locator('[data-testid="timeline"] li[data-action="return"]', { hasText: REASON }).waitFor();
  // Pushed to the drafter's open page (server-sent events), no reload: the count goes up and the list says why.
  await until('the drafter\'s unread count goes up', async () => Number(await drafterMeanwhile.getByTestId('unread-count').textContent()) > unreadBefore);
  await drafterMeanwhile.getByRole('button', { name: /通知/ }).click();
  await drafterMeanwhile.locator('#notification-list li', { hasText: REASON }).getByText('被退回').waitFor();

  const api = await apiAs(server.url, 'drafter');
  const doc = await api(`/api/documents/${documentId}`);
  expect(doc.state).toBe('draft');
  const history = await api(`/api/documents/${documentId}/history`);
  expect(history.items.at(-1)).toMatchObject({ action: 'return', from: 'legal-review', to: 'draft', comment: REASON });

  // Opened by its address, from no section, the document marks none for a reviewer.
  await page.goto(`${server.url}/documents/${documentId}`);
  await stateOf(page, 'draft');
  await expect(navMarked(page)).resolves.toEqual([]);
});

step('the drafter sees the reason and resubmits; counsel approves', async () => {
  const drafter = await loginAs('drafter');
  // My documents says when each was last changed; receiving is the inbox's notion.
  await drafter.getByTestId('my-documents').locator('thead th').first().waitFor();
  const columns = await drafter.getByTestId('my-documents').locator('thead th').allTextContents();
  expect(columns).toContain('更新时间');
  expect(columns).not.toContain('收到时间');
  await drafter.getByRole('link', { name: TITLE }).click();
  await drafter.locator('[data-testid="timeline"] li[data-action="return"]', { hasText: REASON }).waitFor();
  await expect(navMarked(drafter)).resolves.toEqual(['我的文稿']);
  await drafter.getByRole('button', { name: '提交审核' }).click();
  await stateOf(drafter, 'legal-review');

  const counsel = await loginAs('counsel');
  await openFromInbox(counsel);
  await counsel.getByLabel('意见（选填）').fill('经审核，符合要求');
  await counsel.getByRole('button', { name: '通过', exact: true }).click();
  await stateOf(counsel, 'party-group-review');
  const api = await apiAs(server.url, 'counsel');
  expect((await api(`/api/documents/${documentId}`)).state).toBe('party-group-review');
});

step('the Party group secretary approves in bulk from the inbox, with a result per item', async () => {
  const page = await loginAs('secretary');
  await page.getByRole('checkbox', { name: `选择: ${TITLE}` }).check();
  await page.getByRole('button', { name: /批量通过/ }).click();
  const results = page.getByTestId('bulk-results');
  await results.waitFor();
  await expect(results.locator('li').textContent()).resolves.toContain('成功 → 报送法治建设办');
  await page.getByTestId('inbox-empty').waitFor();
  await screenshot(page, '03-inbox-bulk-result');
});

step('the rule-of-law office approves with the keyboard alone', async () => {
  const page = await loginAs('office');
  await openFromInbox(page);
  // Another department's people by name and department, not "· (起草人)".
  await expect(page.locator('[data-testid="timeline"] li[data-action="submit"]').first().textContent()).resolves.toContain('起草人 (市科技局 · 起草人)');
  await page.getByLabel('意见（选填）').focus();
  await page.keyboard.type('同意报送');
  await page.keyboard.press('Tab');
  await expect(page.evaluate<string>('document.activeElement?.textContent')).resolves.toBe('通过');
  await page.keyboard.press('Enter');
  await stateOf(page, 'awaiting-disclosure');
});

step('the drafter records the disclosure; the document is disclosed', async () => {
  const page = await loginAs('drafter');
  await page.getByRole('link', { name: TITLE }).click();
  await page.getByLabel('公开网址').fill('https://kjj.example.gov.cn/fzzf/2025.html');
  await page.getByLabel('公开日期').fill('2026-03-20');
  await page.getByRole('button', { name: '登记公开' }).click();
  await stateOf(page, 'disclosed');
  // The document now says where and when it was published.
  const link = page.getByTestId('disclosure-url').getByRole('link');
  await expect(link.getAttribute('href')).resolves.toBe('https://kjj.example.gov.cn/fzzf/2025.html');
  await expect(link.textContent()).resolves.toBe('https://kjj.example.gov.cn/fzzf/2025.html');
  await expect(page.locator('dt', { hasText: '公开日期' }).locator('+ dd').textContent()).resolves.toBe('2026-03-20');
  const api = await apiAs(server.url, 'drafter');
  expect(await api(`/api/documents/${documentId}`)).toMatchObject({ state: 'disclosed', final: true });
});

step('a supervisor sees the year overview, searches the audit log, exports it and verifies it', async () => {
  const page = await loginAs('supervisor');
  await page.getByRole('heading', { name: '督察与审计', level: 1 }).waitFor();
  await page.getByLabel('年度', { exact: true }).fill('2025');
  await page.getByRole('button', { name: '显示' }).click();
  const overviewRow = page.locator('[data-testid="overview"] tbody tr', { hasText: TITLE });
  await overviewRow.waitFor();
  // Submitted after 1 March 2026 (the run is later): late, in red.
  await expect(overviewRow.getAttribute('data-late')).resolves.toBe('true');
  // Published on 20 March 2026, before 1 April, however late that was recorded: met, on the publication day.
  // …and recorded months after that date: marked 补录 with both dates, as the API says.
  const cell = overviewRow.locator('td').nth(3);
  await expect(cell.locator('span.ok').textContent()).resolves.toBe('✓ 2026-03-20');
  const api = await apiAs(server.url, 'supervisor');
  const [submission, standing] = (await api('/api/supervision/overview?chain=annual-report&year=2025')).departments.find((d: { documentId: string }) => d.documentId === documentId).milestones;
  expect(standing.disclosure).toMatchObject({ publishedOn: '2026-03-20', recordedLate: true });
  // Submitted late, and so reached late: the day it was reached and the API's days late, told apart from a date still unreached (已逾期).
  expect(submission).toMatchObject({ met: false, overdue: false, reachedAt: expect.any(String) });
  const submitted = overviewRow.locator('td').nth(2);
  await expect(submitted.textContent()).resolves.toBe(`${new Date(Date.parse(submission.reachedAt) + 8 * 3_600_000).toISOString().slice(0, 10)} 逾期 ${submission.daysOverdue} 天完成`);
  await expect(submitted.locator('[data-standing]').getAttribute('data-standing')).resolves.toBe('late');
  await expect(cell.getByTestId('late-record').textContent()).resolves.toBe(` 补录: 公开日期 2026-03-20, 登记于 ${new Date(Date.parse(standing.disclosure.recordedAt) + 8 * 3_600_000).toISOString().slice(0, 10)}`);
  await expectOneDateFormat(page);

  await page.getByLabel('文稿编号').fill(documentId);
  await page.getByRole('button', { name: '查询', exact: true }).click();
  // The unfiltered results stay on the page until the search answers: wait until every row is the document's.
  await page.waitForFunction((id) => {
    const rows: any[] = [...(globalThis as any).document.querySelectorAll('[data-testid="audit-results"] tbody tr')];
    return rows.length > 0 && rows.every((row) => row.querySelector(`a[title="${id}"]`));
  }, documentId);
  const actions = await page.locator('[data-testid="audit-results"] tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')));
  expect(actions).toEqual(['record-disclosure', 'approve', 'approve', 'approve', 'submit', 'return', 'submit', 'edit', 'create']);

  await page.getByRole('button', { name: '验证审计链' }).click();
  const result = page.getByTestId('verify-result');
  await result.waitFor();
  await expect(result.getAttribute('data-ok')).resolves.toBe('true');
  await expect(result.textContent()).resolves.toContain('审计链完整');
  await screenshot(page, 'audit', { fullPage: true, docs: true });

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: '导出 CSV' }).click();
  const file = await (await download).createReadStream();
  let csv = '';
  for await (const chunk of file) csv += chunk.toString();
  expect(csv).toContain(REASON);


  expect(await api('/api/audit/verify')).toMatchObject({ ok: true });

  // The document's timeline, from its audit entries.
  await page.locator('[data-testid="audit-results"] tr[data-action="return"] a').click();
  await page.locator('[data-testid="timeline"] li[data-action="return"]', { hasText: REASON }).waitFor();
  await stateOf(page, 'disclosed');
  await expect(navMarked(page)).resolves.toEqual(['督察与审计']);
});

step('an administrator sees validation errors at the step they point to, and publishes a new version', async () => {
  const page = await loginAs('admin');
  await page.getByRole('heading', { name: '审批链配置' }).waitFor();
  await page.getByRole('link', { name: '法治政府建设年度报告' }).click();
  await page.locator('.diagram[data-ready="true"]').waitFor({ timeout: 20_000 });
  const step = page.locator('li.step[data-step="legal-review"]');
  await step.getByLabel('环节标识').fill('Legal Review');
  await page.getByRole('button', { name: '校验' }).click();
  await page.locator('[data-testid="validation"][data-valid="false"]').waitFor();
  // The field the error points to is marked and described by what is wrong with it, in words; the others are not marked.
  const keyField = page.locator('li.step').nth(1).getByLabel('环节标识');
  await expect(keyField.getAttribute('aria-invalid')).resolves.toBe('true');
  await expect(page.locator(`#${await keyField.getAttribute('aria-describedby')}`).textContent()).resolves.toBe('须由小写字母、数字和单个短横线组成，以字母开头（如“legal-review”）');
  await expect(page.locator('li.step').nth(1).getByLabel('环节名称（中文）').getAttribute('aria-invalid')).resolves.toBeNull();
  await screenshot(page, '04-chains-validation', { fullPage: true });

  await page.locator('li.step').nth(1).getByLabel('环节标识').fill('legal-review');
  await page.locator('li.step').nth(1).getByLabel('期限', { exact: true }).fill('6');
  await page.getByRole('button', { name: '校验' }).click();
  await page.locator('[data-testid="validation"][data-valid="true"]').waitFor();
  await expect(keyField.getAttribute('aria-invalid')).resolves.toBeNull();
  // The new version's definition comes late (a slow network): picking v1 meanwhile must show v1 as stored, not the
  // edits just published (kept on screen by an editor keyed by the version number alone).
  let releaseV2!: () => void;
  const v2Held = new Promise<void>((r) => (releaseV2 = r));
  await page.route('**/api/chains/annual-report/versions/2', async (route) => {
    await v2Held;
    await route.continue();
  });
  await page.getByRole('button', { name: '发布新版本' }).click();
  await page.getByRole('status').filter({ hasText: '法治政府建设年度报告 第2版' }).waitFor();
  // The version selector follows the new version, and the editor holds it.
  await page.locator('#chain-version option[value="2"]').waitFor({ state: 'attached' });
  await expect(page.getByLabel('版本', { exact: true }).inputValue()).resolves.toBe('2');
  await page.getByRole('status').filter({ hasText: '法治政府建设年度报告 第2版' }).waitFor();
  // Picking v1 again (v2 still on its way) shows v1's definition (legal review: 5 working days).
  await page.getByLabel('版本', { exact: true }).selectOption('1');
  // A function, not a string: the page's CSP forbids eval. (This project's tsconfig has no DOM types.)
  await page.waitForFunction(() => (globalThis as any).document.getElementById('step-1-deadline')?.value === '5');
  releaseV2();
  // And v2 holds what was published (6).
  await page.getByLabel('版本', { exact: true }).selectOption('2');
  await page.locator('.diagram[data-ready="true"]').waitFor({ timeout: 20_000 });
  await page.waitForFunction(() => (globalThis as any).document.getElementById('step-1-deadline')?.value === '6');
  const api = await apiAs(server.url, 'admin');
  const v2 = await api('/api/chains/annual-report/versions/2');
  expect(v2.definition.steps[1].deadline).toEqual({ workingDays: 6 });
});

step('legal counsel delegates a task (转交) to another counsel, whose inbox then holds it', async () => {
  const drafterApi = await apiAs(server.url, 'drafter');
  const content = (await drafterApi(`/api/documents/${documentId}`)).content as string;
  const second = await drafterApi('/api/documents', { chain: 'annual-report', title: '市科技局2024年度法治政府建设情况报告', year: 2024, departmentId: 'city-sti', content });
  await drafterApi(`/api/documents/${second.id}/actions`, { action: 'submit' });

  const page = await loginAs('counsel');
  await page.getByRole('link', { name: '市科技局2024年度法治政府建设情况报告' }).click();
  // Only another holder of the task's role is offered (the users load after the document).
  await page.getByLabel('转交给').locator('option', { hasText: '(lawyer)' }).waitFor({ state: 'attached' });
  await expect(page.getByLabel('转交给').locator('option').allTextContents()).resolves.toEqual(['请选择人员', '公职律师 (lawyer)']);
  await page.getByLabel('转交给').selectOption({ label: '公职律师 (lawyer)' });
  await page.getByLabel('转交说明').fill('本人回避，请公职律师审核');
  await page.getByRole('button', { name: '转交', exact: true }).click();
  await page.getByRole('status').filter({ hasText: '转交' }).waitFor();

  const lawyerApi = await apiAs(server.url, 'lawyer');
  const me = await lawyerApi('/api/me');
  const open = (await lawyerApi('/api/tasks')).items.filter((x: { documentId: string }) => x.documentId === second.id);
  expect(open).toEqual([expect.objectContaining({ stepKey: 'legal-review', assigneeUserId: me.id })]);
  const lawyer = await loginAs('lawyer');
  await lawyer.getByRole('link', { name: '市科技局2024年度法治政府建设情况报告' }).waitFor();
});

step('English on request (kept across reloads), and the pages fit a tablet', async () => {
  const page = await loginAs('drafter', { width: 820, height: 1180 });
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { name: 'My documents' }).waitFor();
  await page.reload();
  await page.getByRole('heading', { name: 'My documents' }).waitFor();
  await page.getByRole('link', { name: TITLE }).click();
  await page.locator('.diagram[data-ready="true"]').waitFor({ timeout: 20_000 });
  await expect(page.getByTestId('doc-state').textContent()).resolves.toBe('Disclosed');
  await expect(page.locator('dt', { hasText: 'Disclosure URL' }).locator('+ dd').textContent()).resolves.toBe('https://kjj.example.gov.cn/fzzf/2025.html');
  await expect(page.locator('dt', { hasText: 'Published on' }).locator('+ dd').textContent()).resolves.toBe('2026-03-20');
  await page.locator('[data-testid="timeline"] time').first().waitFor();
  await expectOneDateFormat(page);
  // Nothing wider than the screen.
  expect(await page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
  await screenshot(page, '05-document-tablet-en', { fullPage: true });
});

step('the unread count counts every unread notification, not the first page of 50 the list shows', async () => {
  // Last: the drafter's documents made here would push the walk's report off her first page.
  const leaderApi = await apiAs(server.url, 'leader');
  const before = (await leaderApi('/api/notifications?unread=true')).unreadCount as number;
  const leaderId = (await leaderApi('/api/me')).id as string;
  const drafterApi = await apiAs(server.url, 'drafter');
  for (let i = 1; i <= 55; i++) {
    const doc = await drafterApi('/api/documents', { chain: 'normative-document', title: `关于科技项目管理的通知（${i}）`, year: 2026, departmentId: 'city-sti', content: '第一条 ……', fields: { involvesMarketActivity: false } });
    await drafterApi(`/api/documents/${doc.id}/copies`, { userIds: [leaderId], comment: '请阅' });
  }
  const unread = await leaderApi('/api/notifications?unread=true');
  expect({ page: unread.items.length, unreadCount: unread.unreadCount }).toEqual({ page: 50, unreadCount: before + 55 });

  const page = await loginAs('leader');
  await until('the badge shows every unread notification', async () => (await page.getByTestId('unread-count').textContent()) === String(before + 55));
  await page.getByRole('button', { name: /通知/ }).click();
  await expect(page.locator('#notification-list li').count()).resolves.toBe(50);
  await page.locator('#notification-list li').first().getByRole('button', { name: '标为已读' }).click();
  await until('the badge counts one fewer', async () => (await page.getByTestId('unread-count').textContent()) === String(before + 54));
});
