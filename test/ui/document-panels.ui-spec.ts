import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { jest } from '@jest/globals';
import type { Page } from 'playwright-core';
import { REPORT_OUTLINE } from '../support/report-outline.js';
import { apiAs, screenshot, until, useUi, walkSteps } from './support.js';

/**
 * The document screen's panels, in Chromium against the real server, each walked by the role that
 * uses it: the drafter attaches a file to the document (downloaded again, same SHA-256) and copies
 * it (抄送) to the Party group secretary; legal counsel attaches a file to the decision and adds a
 * signer (加签), refused in words for the author and for a supervisor; the added lawyer pauses,
 * resumes and restarts the statutory clock and asks for an extension, which the leader in charge
 * approves; a supervisor only reads. After each step the API's state is checked. Then the lawyer's
 * view in English on a phone-wide screen.
 */
jest.setTimeout(120_000);

const ui = useUi();
const TITLE = '市科技局2025年度法治政府建设情况报告（附件与时限）';
const DOC_FILE = { name: '补充材料.txt', mimeType: 'text/plain', buffer: Buffer.from('依法行政补充材料：2025年规范性文件清单。\n', 'utf8') };
const TASK_FILE = { name: '法律审核意见书.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n% 审核意见\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n', 'utf8') };
const PAUSE_REASON = '等待起草单位补正材料';
const RESTART_REASON = '起草单位已补正，重新计算审核期限';
const EXTENSION_REASON = '涉及多部门意见，需延长审核期限';
const APPROVAL = '同意延长';
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

let documentId = '';
const ids: Record<string, string> = {};

const step = walkSteps(ui, 'document-panels');

async function openDocument(username: string, viewport?: { width: number; height: number }): Promise<Page> {
  const page = await ui.signIn(username, viewport ? { viewport } : undefined);
  await page.goto(`${ui.url}/documents/${documentId}`);
  await page.locator('#doc-title').waitFor();
  return page;
}

const docNow = async (username = 'admin') => (await apiAs(ui.url, username))(`/api/documents/${documentId}`);
const attachments = async () => (await (await apiAs(ui.url, 'drafter'))(`/api/documents/${documentId}/attachments`)).items as { name: string; sha256: string; size: number; uploadedBy: string; taskId: string | null; url: string }[];
const status = (page: Page, text: string) => page.getByRole('status').filter({ hasText: text }).waitFor();
const alert = (page: Page, text: string) => page.getByRole('alert').filter({ hasText: text }).waitFor();

step('set-up: the drafter’s report in draft', async () => {
  for (const username of ['drafter', 'counsel', 'lawyer', 'leader', 'secretary', 'supervisor']) ids[username] = (await (await apiAs(ui.url, username))('/api/me')).id;
  const drafter = await apiAs(ui.url, 'drafter');
  documentId = (await drafter('/api/documents', { chain: 'annual-report', title: TITLE, year: 2025, departmentId: 'city-sti', content: REPORT_OUTLINE })).id;
});

step('附件 on the document: the drafter uploads a file, sees its size, SHA-256 and name, downloads the same bytes; an HTML file is refused in words', async () => {
  const page = await openDocument('drafter');
  const panel = page.getByTestId('attachments-panel');
  await panel.getByText('暂无附件').waitFor();
  // Only the document's form: the drafter holds no task.
  await expect(panel.getByRole('heading', { name: '上传审核意见附件' }).count()).resolves.toBe(0);
  const before = (await docNow()).version;
  await panel.getByLabel('选择文件').setInputFiles(DOC_FILE);
  await panel.getByRole('button', { name: '上传' }).click();
  await status(page, `已上传：${DOC_FILE.name}`);
  const [stored] = await attachments();
  expect(stored).toMatchObject({ name: DOC_FILE.name, size: DOC_FILE.buffer.length, sha256: sha256(DOC_FILE.buffer), uploadedBy: ids.drafter, taskId: null });
  expect((await docNow()).version).toBe(before + 1);
  const row = panel.locator('table[data-testid="attachments"] tbody tr');
  await row.first().waitFor();
  await expect(row.first().locator('td').allTextContents()).resolves.toEqual([DOC_FILE.name, '文稿', `${DOC_FILE.buffer.length} B`, stored!.sha256, '起草人', expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/)]);

  const [download] = await Promise.all([page.waitForEvent('download'), panel.getByRole('link', { name: DOC_FILE.name }).click()]);
  expect(download.suggestedFilename()).toBe(DOC_FILE.name);
  expect(sha256(await readFile((await download.path())!))).toBe(stored!.sha256);

  await panel.getByLabel('选择文件').setInputFiles({ name: '页面.html', mimeType: 'text/html', buffer: Buffer.from('<p>x</p>') });
  await panel.getByRole('button', { name: '上传' }).click();
  await alert(page, '不接受此类文件');
  expect(await attachments()).toHaveLength(1);
});

step('抄送: the drafter copies the report to the Party group secretary, who is told and sees the copy listed', async () => {
  const page = await openDocument('drafter');
  const panel = page.getByTestId('copies-panel');
  await panel.getByText('尚未抄送').waitFor();
  // Nothing chosen: said so, nothing sent.
  await panel.getByRole('button', { name: '抄送', exact: true }).click();
  await alert(page, '请至少选择一位接收人');
  await panel.getByRole('group', { name: '抄送给' }).getByLabel('党组书记').check();
  await panel.getByLabel('说明（选填）').fill('请知悉');
  await panel.getByRole('button', { name: '抄送', exact: true }).click();
  await status(page, '已抄送：党组书记');
  const drafter = await apiAs(ui.url, 'drafter');
  expect((await drafter(`/api/documents/${documentId}/copies`)).items).toEqual([expect.objectContaining({ userId: ids.secretary, copiedBy: ids.drafter })]);
  await expect(panel.locator('table[data-testid="copies"] tbody tr td').allTextContents()).resolves.toEqual(['党组书记', '起草人', expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/)]);

  const secretary = await apiAs(ui.url, 'secretary');
  expect((await secretary('/api/notifications')).items).toContainEqual(expect.objectContaining({ kind: 'copy-to', documentId }));
  const seen = await openDocument('secretary');
  await seen.getByTestId('copies-panel').locator('table[data-testid="copies"] tbody tr').filter({ hasText: '党组书记' }).waitFor();

  await drafter(`/api/documents/${documentId}/actions`, { action: 'submit' });
  expect((await docNow()).state).toBe('legal-review');
});

step('附件 on a decision: legal counsel attaches the review opinion to the open task', async () => {
  const page = await openDocument('counsel');
  const panel = page.getByTestId('attachments-panel');
  await expect(panel.getByRole('heading', { name: '上传文稿附件' }).count()).resolves.toBe(0);
  const form = panel.getByRole('form', { name: '上传审核意见附件' });
  await form.getByLabel('选择文件').setInputFiles(TASK_FILE);
  await form.getByRole('button', { name: '上传' }).click();
  await status(page, `已上传：${TASK_FILE.name}`);
  const task = (await docNow()).openTasks.find((x: { stepKey: string }) => x.stepKey === 'legal-review');
  const stored = (await attachments()).find((a) => a.name === TASK_FILE.name);
  expect(stored).toMatchObject({ taskId: task.id, uploadedBy: ids.counsel, sha256: sha256(TASK_FILE.buffer), size: TASK_FILE.buffer.length });
  const row = panel.locator('table[data-testid="attachments"] tbody tr').filter({ hasText: TASK_FILE.name });
  await expect(row.locator('td').allTextContents()).resolves.toEqual([TASK_FILE.name, '审核意见（法制审核）', `${TASK_FILE.buffer.length} B`, stored!.sha256, '法律顾问', expect.any(String)]);
});

step('加签: counsel is refused the author and a supervisor in words, then adds the lawyer, who holds the task', async () => {
  const page = await openDocument('counsel');
  const panel = page.getByTestId('add-signer-panel');
  const person = panel.getByLabel('加签人员');
  await person.locator('option', { hasText: '(lawyer)' }).waitFor({ state: 'attached' });
  const version = (await docNow()).version;

  await person.selectOption({ label: '起草人 (drafter)' });
  await panel.getByRole('button', { name: '加签' }).click();
  await alert(page, '按不相容职务分离规定，起草人不能签署本环节：文稿的起草人和修改人不审核该文稿');
  await expect(person.getAttribute('aria-invalid')).resolves.toBe('true');

  await person.selectOption({ label: '督察员 (supervisor)' });
  await panel.getByRole('button', { name: '加签' }).click();
  await alert(page, '不能为督察员加签：督察员不参与签署');
  expect((await docNow()).version).toBe(version);

  await person.selectOption({ label: '公职律师 (lawyer)' });
  await panel.getByLabel('签署顺序').selectOption({ label: '在我之前签署' });
  await panel.getByLabel('说明（选填）').fill('请公职律师先行审核');
  await panel.getByRole('button', { name: '加签' }).click();
  await status(page, '已加签：公职律师');
  const lawyer = await apiAs(ui.url, 'lawyer');
  expect((await lawyer('/api/tasks?status=open')).items).toContainEqual(expect.objectContaining({ documentId, stepKey: 'legal-review', assignee: expect.objectContaining({ userId: ids.lawyer }) }));
  // Counsel decides again after the lawyer: the form leaves with the task.
  await until('the add-signer form is gone for counsel', async () => (await panel.getByLabel('加签人员').count()) === 0);
});

step('法定时限: the lawyer pauses (reason required), resumes and restarts the clock, and asks for an extension', async () => {
  const page = await openDocument('lawyer');
  const panel = page.getByTestId('clock-panel');
  await expect(panel.getByTestId('clock-state').textContent()).resolves.toBe('计时中');
  await panel.getByRole('button', { name: '暂停计时' }).click();
  await alert(page, '请填写理由');
  expect((await docNow()).clock.pausedAt).toBeUndefined();

  await panel.getByLabel('理由（必填，如补正、中止的事由）').fill(PAUSE_REASON);
  await panel.getByRole('button', { name: '暂停计时' }).click();
  await status(page, '已暂停计时');
  expect((await docNow()).clock).toMatchObject({ pausedAt: expect.any(String), pausedReason: PAUSE_REASON });
  await panel.locator('[data-testid="clock-state"][data-paused="true"]').waitFor();
  await expect(panel.getByTestId('clock-paused-reason').textContent()).resolves.toBe(PAUSE_REASON);
  await screenshot(page, 'document-panels-clock-paused');

  await panel.getByRole('button', { name: '恢复计时' }).click();
  await status(page, '已恢复计时');
  const resumed = await docNow();
  expect(resumed.clock.pausedAt).toBeUndefined();
  expect(resumed.clock.paused).toEqual(expect.objectContaining({ workingDays: expect.any(Number) }));
  await panel.locator('[data-testid="clock-state"][data-paused="false"]').waitFor();

  await panel.getByLabel('理由（必填，如补正、中止的事由）').fill(RESTART_REASON);
  await panel.getByRole('button', { name: '补正后重新计时' }).click();
  await status(page, '已重新计时');
  const history = (await (await apiAs(ui.url, 'lawyer'))(`/api/documents/${documentId}/history`)).items as { action: string; actor: { id: string }; details: { reason?: string } }[];
  expect(history.filter((e) => e.actor.id === ids.lawyer).map((e) => [e.action, e.details.reason ?? null])).toEqual([
    ['pause-clock', PAUSE_REASON],
    ['resume-clock', null],
    ['restart-clock', RESTART_REASON],
  ]);
  expect((await docNow()).clock).toEqual({});

  await panel.getByLabel('理由（必填，如补正、中止的事由）').fill(EXTENSION_REASON);
  await panel.getByLabel('申请延长的工作日数（1–60）').fill('3');
  await panel.getByRole('button', { name: '申请延期' }).click();
  await status(page, '已申请延期，待分管领导批准');
  expect((await docNow()).clock.extension).toMatchObject({ requestedBy: ids.lawyer, workingDays: 3, reason: EXTENSION_REASON });
  await panel.getByTestId('clock-extension').getByText('公职律师申请延长3个工作日').waitFor();
  // Who asked does not approve: no such form for the lawyer.
  await expect(panel.getByRole('button', { name: '批准延期', exact: true }).count()).resolves.toBe(0);
});

step('法定时限: the leader in charge approves the extension; the due date moves by three working days', async () => {
  const before = await docNow();
  const page = await openDocument('leader');
  const panel = page.getByTestId('clock-panel');
  await panel.getByTestId('clock-extension').getByText('公职律师申请延长3个工作日').waitFor();
  // The leader holds no task: the clock's own operations are not theirs.
  await expect(panel.getByRole('button', { name: '暂停计时' }).count()).resolves.toBe(0);
  await panel.getByRole('button', { name: '批准延期', exact: true }).click();
  await alert(page, '请填写理由');
  await panel.getByLabel('审批意见（必填）').fill(APPROVAL);
  await panel.getByRole('button', { name: '批准延期', exact: true }).click();
  await status(page, '已批准延期');
  const after = await docNow();
  expect(after.clock).toEqual({ extendedWorkingDays: 3 });
  const { date } = await (await apiAs(ui.url, 'leader'))(`/api/calendar/working-days?from=${new Date(Date.parse(before.dueAt) + 8 * 3_600_000).toISOString().slice(0, 10)}&add=3`);
  expect(new Date(Date.parse(after.dueAt) + 8 * 3_600_000).toISOString().slice(0, 10)).toBe(date);
  await expect(panel.getByTestId('clock-extended').textContent()).resolves.toBe('3个工作日');
  await expect(panel.getByTestId('clock-extension').count()).resolves.toBe(0);
});

step('a supervisor reads the panels and is offered nothing to do', async () => {
  const page = await openDocument('supervisor');
  await page.getByTestId('attachments-panel').locator('table[data-testid="attachments"] tbody tr').nth(1).waitFor();
  await page.getByTestId('copies-panel').locator('table[data-testid="copies"] tbody tr').first().waitFor();
  await page.getByTestId('clock-panel').getByTestId('clock-extended').waitFor();
  await expect(page.getByTestId('add-signer-panel').count()).resolves.toBe(0);
  await expect(page.locator('[data-testid$="-panel"] form').count()).resolves.toBe(0);
});

step('法定时间节点: the 2025 report, still in legal review, is overdue for both dates: the document view, its timeline and the year overview say so with the API’s days', async () => {
  // Both dates of a 2025 report (1 March and 1 April 2026) are past by the server's clock, and the report is in legal review.
  const supervisor = await apiAs(ui.url, 'supervisor');
  const doc = await supervisor(`/api/documents/${documentId}`);
  const timeline = await supervisor(`/api/documents/${documentId}/timeline`);
  const overview = (await supervisor('/api/supervision/overview?chain=annual-report&year=2025')).departments.find((d: { documentId: string }) => d.documentId === documentId);
  type Standing = { key: string; reached?: boolean; reachedAt?: string | null; met?: boolean | null; overdue: boolean; daysOverdue: number };
  const late = (list: Standing[]) => list.map((m) => [m.key, m.overdue, m.daysOverdue]);
  expect(doc.milestones.map((m: Standing) => [m.key, m.reached, m.overdue])).toEqual([['submission', false, true], ['publication', false, true]]);
  const days = late(doc.milestones);
  expect(days.every(([, , n]) => (n as number) > 0)).toBe(true);
  // The timeline and the overview judge alike: unreached, not met.
  expect(late(timeline.milestones)).toEqual(days);
  expect(late(overview.milestones)).toEqual(days);
  expect(overview.milestones.map((m: Standing) => [m.reachedAt, m.met])).toEqual([[null, false], [null, false]]);
  const expected = days.map(([key, , n]) => [key, 'overdue', String(n), `已逾期 ${n} 天`]);
  const marks = (where: ReturnType<Page['locator']>) =>
    where.locator('[data-standing]').evaluateAll((els) => els.map((e) => [e.closest('[data-key]')?.getAttribute('data-key') ?? null, e.getAttribute('data-standing'), e.getAttribute('data-days-overdue'), e.textContent]));

  const page = await openDocument('supervisor');
  await page.getByTestId('milestones').locator('[data-standing]').first().waitFor();
  await expect(marks(page.getByTestId('milestones'))).resolves.toEqual(expected);
  await page.getByTestId('timeline-milestones').waitFor();
  await expect(marks(page.getByTestId('timeline-milestones'))).resolves.toEqual(expected);
  await expect(page.getByTestId('timeline-milestones').locator('tbody tr').first().locator('td').allTextContents()).resolves.toEqual(['报送', '2026-02-28', '—', `已逾期 ${days[0]![2]} 天`]);

  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '督察与审计' }).click();
  await page.getByLabel('年度', { exact: true }).fill('2025');
  await page.getByRole('button', { name: '显示' }).click();
  const row = page.locator('[data-testid="overview"] tbody tr', { hasText: TITLE });
  await row.waitFor();
  await expect(row.getAttribute('data-late')).resolves.toBe('true');
  // Marked as unreached, not as reached late: no date reached in the cell.
  await expect(row.locator('td').nth(2).textContent()).resolves.toBe(`已逾期 ${days[0]![2]} 天`);
  await expect(row.locator('td').nth(3).textContent()).resolves.toBe(`已逾期 ${days[1]![2]} 天`);
  await expect(row.locator('[data-standing]').evaluateAll((els) => els.map((e) => e.getAttribute('data-standing')))).resolves.toEqual(['overdue', 'overdue']);

  // In English: "N days overdue".
  await page.getByRole('button', { name: 'English' }).click();
  await page.goto(`${ui.url}/documents/${documentId}`);
  await page.getByTestId('milestones').locator('[data-standing]').first().waitFor();
  await expect(page.getByTestId('milestones').locator('[data-standing]').allTextContents()).resolves.toEqual(days.map(([, , n]) => `${n} days overdue`));
});

step('the lawyer’s panels in Chinese, then in English on a phone-wide screen: no Chinese but names, no sideways scroll', async () => {
  const page = await openDocument('lawyer');
  await page.getByTestId('add-signer-panel').getByLabel('加签人员').locator('option', { hasText: '(counsel)' }).waitFor({ state: 'attached' });
  await page.getByTestId('copies-panel').locator('table[data-testid="copies"] tbody tr').first().waitFor();
  await page.locator('.diagram[data-ready="true"]').waitFor({ timeout: 20_000 });
  // The timeline names the panels' actions in words.
  await expect(page.locator('[data-testid="timeline"] li[data-action="pause-clock"] strong').textContent()).resolves.toBe('暂停计时');
  await screenshot(page, 'document-panels', { fullPage: true, docs: true });

  const phone = await openDocument('lawyer', { width: 390, height: 844 });
  await phone.getByRole('button', { name: 'English' }).click();
  await phone.getByRole('heading', { name: 'Statutory clock' }).waitFor();
  const panels = phone.locator('[data-testid$="-panel"]');
  await phone.getByTestId('add-signer-panel').getByLabel('Signer to add').locator('option', { hasText: 'Legal counsel (counsel)' }).waitFor({ state: 'attached' });
  await phone.getByTestId('copies-panel').getByRole('cell', { name: 'Party group secretary' }).waitFor();
  await phone.locator('.diagram[data-ready="true"]').waitFor({ timeout: 20_000 });
  await expect(panels.evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')))).resolves.toEqual(['add-signer-panel', 'attachments-panel', 'clock-panel', 'copies-panel']);
  let text = (await panels.allInnerTexts()).join('\n');
  // Only what people wrote may be Chinese: the files' names (a document's name).
  for (const name of [DOC_FILE.name, TASK_FILE.name]) text = text.split(name).join('');
  expect(text).toContain('Extended by');
  expect(text).toContain('3 working days');
  expect(text.match(/\p{Script=Han}+/gu)).toBeNull();
  const options = (await panels.locator('option').allTextContents()).join('\n');
  expect(options.match(/\p{Script=Han}+/gu)).toBeNull();
  expect(await phone.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
  await screenshot(phone, 'document-panels-en-phone', { fullPage: true, docs: true });
});
