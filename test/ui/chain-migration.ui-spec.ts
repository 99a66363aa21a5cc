import { jest } from '@jest/globals';
import type { Page } from 'playwright-core';
import { REPORT_OUTLINE } from '../support/report-outline.js';
import { apiAs, screenshot, until, useUi, walkSteps } from './support.js';

/**
 * 迁移运行中的文稿 in Chromium against the real server: an administrator publishes a version of the
 * annual report that renames its legal review, documents on the old version are listed by a dry
 * run with where each would land or why it cannot move; mapping the removed step past a review is
 * refused (MIGRATION_SKIPS_REVIEW), mapping it back to drafting is not; applying shows the progress
 * and the result, and the API's documents then carry the new version. Then the same in English.
 */
jest.setTimeout(90_000);

const ui = useUi();
const TITLES = { a: '2030年度法治政府建设情况报告', b: '2031年度法治政府建设情况报告' };
const ids = { a: '', b: '' };

const step = walkSteps(ui, 'chain-migration');

/** The annual report's latest definition with one step key renamed everywhere it is named, as the next version. */
async function publishRenamed(from: string, to: string, name: { zh: string; en: string }) {
  const admin = await apiAs(ui.url, 'admin');
  const { latestVersion } = (await admin('/api/chains')).items.find((c: { key: string }) => c.key === 'annual-report');
  const definition = JSON.parse(JSON.stringify((await admin(`/api/chains/annual-report/versions/${latestVersion}`)).definition).replaceAll(`"${from}"`, `"${to}"`));
  definition.steps.find((s: { key: string }) => s.key === to).name = name;
  const published = await admin('/api/chains', definition);
  expect(published).toEqual({ key: 'annual-report', version: latestVersion + 1 });
  return published.version as number;
}

/** The plan's rows as the page shows them: document id → the step it would land on ('' when it cannot move). */
const planRows = (page: Page) =>
  page.locator('[data-testid="migration-plan"] tbody tr').evaluateAll((rows) => Object.fromEntries(rows.map((r) => [r.getAttribute('data-document'), r.getAttribute('data-to')])));

/** The API's own dry run for the same request. */
async function apiPlan(body: Record<string, unknown>) {
  const admin = await apiAs(ui.url, 'admin');
  const plan = await admin('/api/chains/annual-report/migrations', { ...body, dryRun: true });
  return Object.fromEntries(plan.items.map((i: { documentId: string; to: string | null }) => [i.documentId, i.to ?? '']));
}

async function openChain(page: Page) {
  await page.goto(`${ui.url}/chains/annual-report`);
  await page.getByTestId('migration').waitFor();
}

const CHINESE = /[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/;

step('documents on version 1, and a version 2 that renames the legal review', async () => {
  const drafter = await apiAs(ui.url, 'drafter');
  const a = await drafter('/api/documents', { chain: 'annual-report', title: TITLES.a, year: 2030, departmentId: 'city-sti', content: REPORT_OUTLINE });
  const b = await drafter('/api/documents', { chain: 'annual-report', title: TITLES.b, year: 2031, departmentId: 'city-sti', content: REPORT_OUTLINE });
  await drafter(`/api/documents/${b.id}/actions`, { action: 'submit' });
  [ids.a, ids.b] = [a.id, b.id];
  expect(await publishRenamed('legal-review', 'legal-check', { zh: '合法性审查', en: 'Legality check' })).toBe(2);
  expect(await drafter(`/api/documents/${ids.a}`)).toMatchObject({ chain: { version: 1 }, state: 'draft' });
  expect(await drafter(`/api/documents/${ids.b}`)).toMatchObject({ chain: { version: 1 }, state: 'legal-review' });
});

step('only a global administrator is offered the migration', async () => {
  // A drafter reading the chain's page (its diagram drawn) has no migration section, and the API refuses one a dry run.
  const drafterPage = await ui.signIn('drafter');
  await drafterPage.goto(`${ui.url}/chains/annual-report`);
  await drafterPage.locator('.diagram[data-ready="true"]').waitFor({ timeout: 20_000 });
  await expect(drafterPage.getByTestId('migration').count()).resolves.toBe(0);
  const drafter = await apiAs(ui.url, 'drafter');
  await expect(drafter('/api/chains/annual-report/migrations', { toVersion: 2, dryRun: true })).rejects.toThrow(/403/);
  const page = await ui.signIn('admin');
  await openChain(page);
});

step('the dry run lists each document with where it would land or why it cannot; a mapping past a review is refused', async () => {
  const page = ui.lastPage()!;
  const section = page.getByTestId('migration');
  await expect(section.getByLabel('迁移至版本').inputValue()).resolves.toBe('2');
  await section.getByRole('button', { name: '试算' }).click();
  await section.getByTestId('migration-plan').waitFor();
  // The table says what the API's dry run says, document by document.
  expect(await planRows(page)).toEqual(await apiPlan({ toVersion: 2 }));
  expect(await planRows(page)).toEqual({ [ids.a]: 'draft', [ids.b]: '' });
  const rowB = section.locator(`tr[data-document="${ids.b}"]`);
  await expect(rowB.getByRole('rowheader').textContent()).resolves.toBe(TITLES.b);
  await expect(rowB.textContent()).resolves.toContain('不能迁移：新版本（第 2 版）没有“法制审核”环节');
  await expect(section.locator(`tr[data-document="${ids.a}"] td`).nth(2).textContent()).resolves.toBe('起草');
  await expect(section.getByTestId('migration-summary').textContent()).resolves.toBe('文稿总数 2 · 可迁移 1 · 不能迁移 1');

  // The removed step mapped to the renamed one: that would skip a review of the new version, and the whole migration is refused.
  await section.getByLabel('法制审核 →').selectOption({ label: '合法性审查' });
  await section.getByRole('button', { name: '试算' }).click();
  const refused = section.getByTestId('migration-refused');
  await refused.waitFor();
  await expect(refused.textContent()).resolves.toContain('迁移会跳过审核环节，未执行');
  await expect(refused.textContent()).resolves.toContain('“合法性审查”在新版本中位于“起草”之后');
  await expect(section.getByLabel('法制审核 →').getAttribute('aria-invalid')).resolves.toBe('true');
  await expect(apiPlan({ toVersion: 2, mapping: { 'legal-review': 'legal-check' } })).rejects.toThrow(/422 .*MIGRATION_SKIPS_REVIEW/);
  await expect(section.getByRole('button', { name: '执行迁移' }).isDisabled()).resolves.toBe(true);

  // Back to drafting skips nothing.
  await section.getByLabel('法制审核 →').selectOption({ label: '起草' });
  await section.getByRole('button', { name: '试算' }).click();
  await until('the plan moves both documents', async () => JSON.stringify(await planRows(page).catch(() => ({}))) === JSON.stringify({ [ids.a]: 'draft', [ids.b]: 'draft' }));
  expect(await planRows(page)).toEqual(await apiPlan({ toVersion: 2, mapping: { 'legal-review': 'draft' } }));
  // Nothing moved yet.
  const drafter = await apiAs(ui.url, 'drafter');
  expect((await drafter(`/api/documents/${ids.b}`)).chain.version).toBe(1);
});

step('applying shows the progress and the result, and the documents carry version 2', async () => {
  const page = ui.lastPage()!;
  const section = page.getByTestId('migration');
  await section.getByRole('button', { name: '执行迁移' }).click();
  const progress = section.getByTestId('migration-progress');
  await progress.waitFor();
  await section.locator('[data-testid="migration-progress"][data-status="finished"]').waitFor();
  await expect(section.getByTestId('migration-moved').textContent()).resolves.toBe('2');
  await expect(section.getByTestId('migration-not-moved').textContent()).resolves.toBe('0');
  await expect(section.getByLabel('迁移进度').getAttribute('value')).resolves.toBe('2');
  await expect(section.getByRole('heading', { name: '迁移已完成' }).count()).resolves.toBe(1);
  await section.scrollIntoViewIfNeeded();
  await screenshot(page, 'chain-migration', { docs: true });

  // The progress the page followed is the API's.
  const admin = await apiAs(ui.url, 'admin');
  const row = await admin(`/api/chains/migrations/${await progress.getAttribute('data-migration')}`);
  expect(row).toMatchObject({ status: 'finished', toVersion: 2, total: 2, done: 2, failed: 0, mapping: { 'legal-review': 'draft' } });
  const drafter = await apiAs(ui.url, 'drafter');
  expect(await drafter(`/api/documents/${ids.a}`)).toMatchObject({ chain: { version: 2 }, state: 'draft' });
  expect(await drafter(`/api/documents/${ids.b}`)).toMatchObject({ chain: { version: 2 }, state: 'draft' });
  // A dry run now finds nothing left on version 1.
  await section.getByRole('button', { name: '试算' }).click();
  await section.getByText('没有在旧版本上办理中的文稿').waitFor();
});

step('in English: the dry run, the refusal, the mapping, the progress and the result, without a Chinese word but the names', async () => {
  // Version 3 renames the check back; document A is in it on version 2.
  const drafter = await apiAs(ui.url, 'drafter');
  await drafter(`/api/documents/${ids.a}/actions`, { action: 'submit' });
  expect((await drafter(`/api/documents/${ids.a}`)).state).toBe('legal-check');
  expect(await publishRenamed('legal-check', 'legal-review', { zh: '法制审核', en: 'Legal counsel review' })).toBe(3);

  const page = ui.lastPage()!;
  await page.getByRole('button', { name: 'English' }).click();
  await openChain(page);
  const section = page.getByTestId('migration');
  await section.getByRole('button', { name: 'Dry run' }).click();
  await section.getByTestId('migration-plan').waitFor();
  expect(await planRows(page)).toEqual(await apiPlan({ toVersion: 3 }));
  await expect(section.locator(`tr[data-document="${ids.a}"]`).textContent()).resolves.toContain('Cannot move: Version 3 has no step “Legality check”');
  await section.getByLabel('Legality check →').selectOption({ label: 'Drafting' });
  await section.getByRole('button', { name: 'Dry run' }).click();
  await until('the plan moves both documents', async () => JSON.stringify(await planRows(page).catch(() => ({}))) === JSON.stringify({ [ids.a]: 'draft', [ids.b]: 'draft' }));
  const names = Object.values(TITLES);
  const withoutNames = async () => names.reduce((text, name) => text.replaceAll(name, ''), (await section.innerText()));
  expect(await withoutNames()).not.toMatch(CHINESE);

  await section.getByRole('button', { name: 'Apply the migration' }).click();
  await section.locator('[data-testid="migration-progress"][data-status="finished"]').waitFor();
  await expect(section.getByRole('heading', { name: 'Migration finished' }).count()).resolves.toBe(1);
  await expect(section.getByTestId('migration-moved').textContent()).resolves.toBe('2');
  expect(await withoutNames()).not.toMatch(CHINESE);
  expect(await drafter(`/api/documents/${ids.a}`)).toMatchObject({ chain: { version: 3 }, state: 'draft' });
  expect(await drafter(`/api/documents/${ids.b}`)).toMatchObject({ chain: { version: 3 }, state: 'draft' });
});

step('at 390 px wide the migration section fits: its table scrolls in its own box, not the page', async () => {
  const page = await ui.signIn('admin', { viewport: { width: 390, height: 844 } });
  await openChain(page);
  await page.getByTestId('migration').getByRole('button', { name: '试算' }).click();
  await page.getByTestId('migration-summary').waitFor();
  await expect(page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(390);
});
