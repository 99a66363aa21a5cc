import { jest } from '@jest/globals';
import type { Page } from 'playwright-core';
import { REPORT_OUTLINE } from '../support/report-outline.js';
import { apiAs, screenshot, until, useUi, walkSteps } from './support.js';

/**
 * The verifiable log on 督察与审计 in Chromium against the real server: the latest signed tree head
 * as the API answers it, an administrator signing one and seeing it listed, the search with pickers
 * for person, department and action giving the entries the API gives for the same filter, actions
 * and results by name, the verification in words; and the page in English.
 */
jest.setTimeout(90_000);

const ui = useUi();
const TITLE = '2025年度法治政府建设情况报告';
let drafterId = '';

const step = walkSteps(ui, 'audit-log');

const CHINESE = /[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/;
const KEBAB_CODE = /^[a-z]+(-[a-z]+)+$/;

/** The seqs the results table shows, newest first. */
const shownSeqs = (page: Page) => page.locator('[data-testid="audit-results"] tbody tr td:first-child').allTextContents();

async function openAudit(page: Page) {
  await page.goto(`${ui.url}/audit`);
  await page.getByRole('heading', { level: 1 }).waitFor();
  await page.getByTestId('tree-heads').or(page.getByText('尚未签署树头').first()).first().waitFor();
}

step('some history: a report created and submitted, and a refused look at the audit log', async () => {
  const drafter = await apiAs(ui.url, 'drafter');
  const doc = await drafter('/api/documents', { chain: 'annual-report', title: TITLE, year: 2025, departmentId: 'city-sti', content: REPORT_OUTLINE });
  await drafter(`/api/documents/${doc.id}/actions`, { action: 'submit' });
  await expect(drafter('/api/audit')).rejects.toThrow(/403/);
  drafterId = (await drafter('/api/me')).id;
  const admin = await apiAs(ui.url, 'admin');
  expect((await admin(`/api/audit?actorId=${drafterId}&action=access-denied`)).items).toHaveLength(1);
});

step('a supervisor sees the latest signed tree head as the API answers it, and is not offered to sign one', async () => {
  const admin = await apiAs(ui.url, 'admin');
  // A head to show (the service signs periodically; this one is for certain).
  const signed = await admin('/api/audit/tree-heads', {});
  const page = await ui.signIn('supervisor');
  await openAudit(page);
  const api = await apiAs(ui.url, 'supervisor');
  const head = await api('/api/audit/tree-head');
  expect(head.treeSize).toBeGreaterThanOrEqual(signed.treeSize);
  const shown = page.getByTestId('tree-head');
  await expect(shown.getAttribute('data-size')).resolves.toBe(String(head.treeSize));
  await expect(page.getByTestId('tree-head-root').textContent()).resolves.toBe(head.rootHash);
  await expect(shown.textContent()).resolves.toContain(head.keyId);
  await expect(shown.textContent()).resolves.toContain(head.suite === 'sm3-sm2' ? '国密 SM3 与 SM2' : 'SHA-256 与 Ed25519');
  await expect(page.getByRole('button', { name: '立即签署树头' }).count()).resolves.toBe(0);
  const listed = await api('/api/audit/tree-heads');
  await expect(page.locator('[data-testid="tree-heads"] tbody tr').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-size'))))).resolves.toEqual(listed.items.map((h: { treeSize: number }) => h.treeSize));
});

step('an administrator signs a tree head now: the page shows the new one, as the API does, and lists it', async () => {
  const page = await ui.signIn('admin');
  await openAudit(page);
  const admin = await apiAs(ui.url, 'admin');
  const before = await admin('/api/audit/tree-head');
  // Something to sign: the admin's own login and reads since the last head.
  await page.getByRole('button', { name: '立即签署树头' }).click();
  await page.getByRole('status').filter({ hasText: '已签署树头' }).waitFor();
  const head = await admin('/api/audit/tree-head');
  expect(head.treeSize).toBeGreaterThan(before.treeSize);
  await until('the page shows the new head', async () => (await page.getByTestId('tree-head').getAttribute('data-size').catch(() => null)) === String(head.treeSize));
  await expect(page.getByTestId('tree-head-root').textContent()).resolves.toBe(head.rootHash);
  await page.locator(`[data-testid="tree-heads"] tbody tr[data-size="${head.treeSize}"]`).waitFor();
  expect((await admin('/api/audit/tree-heads')).items.map((h: { treeSize: number }) => h.treeSize)).toContain(head.treeSize);
  await screenshot(page, 'audit-tree-heads', { fullPage: true });

  // The verification in words, as the API says it.
  await page.getByRole('button', { name: '验证审计链' }).click();
  const result = page.getByTestId('verify-result');
  await result.waitFor();
  const verify = await admin('/api/audit/verify');
  expect(verify.ok).toBe(true);
  await expect(result.getAttribute('data-ok')).resolves.toBe('true');
  await expect(result.textContent()).resolves.toMatch(/审计日志完整：逐条核对了 \d+ 条记录的哈希链，\d+ 个签名树头/);
});

step('searching by the person and action pickers gives the entries the API gives; actions and results by name', async () => {
  const page = ui.lastPage()!;
  const admin = await apiAs(ui.url, 'admin');
  const person = page.getByLabel('人员', { exact: true });
  // People by display name and department, never by id.
  await expect(person.locator(`option[value="${drafterId}"]`).textContent()).resolves.toBe('起草人 · 市科技局');
  await person.selectOption({ label: '起草人 · 市科技局' });
  await page.getByLabel('操作', { exact: true }).selectOption({ label: '提交审核' });
  await page.getByRole('button', { name: '查询', exact: true }).click();
  const expected = (await admin(`/api/audit?actorId=${drafterId}&action=submit`)).items.map((e: { seq: number }) => String(e.seq));
  expect(expected.length).toBeGreaterThan(0);
  await until('the results are the filtered ones', async () => JSON.stringify(await shownSeqs(page)) === JSON.stringify(expected));
  await expect(page.locator('[data-testid="audit-results"] tbody tr').first().getByTestId('audit-action').textContent()).resolves.toBe('提交审核');

  // The refused look: its name, what was attempted and the result, in words.
  await page.getByLabel('操作', { exact: true }).selectOption({ label: '拒绝访问' });
  await page.getByRole('button', { name: '查询', exact: true }).click();
  const denied = (await admin(`/api/audit?actorId=${drafterId}&action=access-denied`)).items.map((e: { seq: number }) => String(e.seq));
  await until('the refusal is shown', async () => JSON.stringify(await shownSeqs(page)) === JSON.stringify(denied));
  await expect(page.locator('[data-testid="audit-results"] tbody tr').first().getByTestId('audit-action').textContent()).resolves.toBe('拒绝访问（试图查看审计日志） 被拒绝');

  // Every action on the unfiltered page is a name, and no column header is raw English.
  await person.selectOption({ value: '' });
  await page.getByLabel('操作', { exact: true }).selectOption({ value: '' });
  await page.getByLabel('部门', { exact: true }).selectOption({ label: '市科技局' });
  await page.getByRole('button', { name: '查询', exact: true }).click();
  const inDept = (await admin('/api/audit?departmentId=city-sti&limit=50')).items.map((e: { seq: number }) => String(e.seq));
  await until('the department\'s entries are shown', async () => JSON.stringify(await shownSeqs(page)) === JSON.stringify(inDept));
  const actions = await page.getByTestId('audit-action').allTextContents();
  for (const a of actions) expect(a).not.toMatch(KEBAB_CODE);
  for (const a of actions) expect(a).not.toMatch(/\b(denied|success|failure)\b/);
  const headers = await page.locator('[data-testid="audit-results"] thead th').allTextContents();
  expect(headers.join(' ')).not.toMatch(/[A-Za-z]/);
});

step('in English: the tree heads, the search and the verification without a Chinese word but the names', async () => {
  const page = ui.lastPage()!;
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { name: 'Audit', level: 1 }).waitFor();
  await page.getByTestId('tree-head').waitFor();
  await page.getByRole('button', { name: 'Verify the audit chain' }).click();
  await page.getByTestId('verify-result').waitFor();
  await expect(page.getByTestId('verify-result').textContent()).resolves.toContain('The audit log is intact');
  await page.locator('[data-testid="audit-results"] tbody tr').first().waitFor();
  await page.locator('[data-testid="tree-heads"] tbody tr').first().waitFor();
  const text = (await page.locator('main').innerText()).replaceAll(TITLE, '');
  expect(text).not.toMatch(CHINESE);
  await expect(page.getByLabel('Person', { exact: true }).locator(`option[value="${drafterId}"]`).textContent()).resolves.toBe('Drafter · City science & technology bureau');
});

step('at 390 px wide the page does not scroll sideways: the tables scroll in their own boxes', async () => {
  const page = await ui.signIn('admin', { viewport: { width: 390, height: 844 } });
  await openAudit(page);
  await page.locator('[data-testid="tree-heads"] tbody tr').first().waitFor();
  await page.locator('[data-testid="audit-results"] tbody tr').first().waitFor();
  await expect(page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(390);
});
