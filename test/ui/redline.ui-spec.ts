import { jest } from '@jest/globals';
import { REPORT_OUTLINE } from '../support/report-outline.js';
import { apiAs, screenshot, until, useUi } from './support.js';

/**
 * Reviewers see what changed, in Chromium against the real server: the counsel returns a report, the
 * drafter edits and resubmits it, and the counsel's page shows the redline against the version they
 * returned (the changed characters inside a paragraph, the paragraph added whole), as the API computes
 * it; the edit in the timeline opens its own redline.
 */
jest.setTimeout(180_000);

const ui = useUi();

interface Part { op: 'equal' | 'insert' | 'delete'; text: string }

test('a returned report that came back shows its redline against the version returned, and each edit opens its diff', async () => {
  const drafter = await apiAs(ui.url, 'drafter');
  const counsel = await apiAs(ui.url, 'counsel');
  const doc = await drafter('/api/documents', { chain: 'annual-report', title: '红线对比', year: 2024, departmentId: 'city-sti', content: REPORT_OUTLINE });
  await drafter(`/api/documents/${doc.id}/actions`, { action: 'submit' });
  const task = (await counsel(`/api/documents/${doc.id}`)).openTasks[0].id;
  const returned = (await counsel(`/api/tasks/${task}/decision`, { decision: 'return', comment: '数字有误' })).version as number;
  const revised = REPORT_OUTLINE.replace('审查行政规范性文件2件', '审查行政规范性文件5件') + '\n四、补充说明\n本年度新增执法监督检查3次。';
  const edited = (await drafter(`/api/documents/${doc.id}`, { content: revised, expectedVersion: returned }, 'PATCH')).version as number;
  await drafter(`/api/documents/${doc.id}/actions`, { action: 'submit' });
  const now = (await counsel(`/api/documents/${doc.id}`)).version as number;
  const expected = ((await counsel(`/api/documents/${doc.id}/versions/${now}?diff=${returned}`)).diff.content as Part[]).filter((p) => p.op !== 'equal');

  const page = await ui.signIn('counsel');
  await page.goto(`${ui.url}/documents/${doc.id}`);
  const card = page.getByTestId('changes-since-return');
  await card.getByRole('heading', { name: '退回后的修改' }).waitFor();
  await card.getByTestId('redline-content').waitFor();
  const shown = async (root: typeof card) => ({
    insert: await root.locator('ins').evaluateAll((els) => els.map((e) => e.lastChild?.textContent ?? '')),
    delete: await root.locator('del').evaluateAll((els) => els.map((e) => e.lastChild?.textContent ?? '')),
  });
  // The page shows the API's redline: '2' struck, '5' inserted in the rewritten paragraph, the new section inserted whole.
  expect(await shown(card)).toEqual({ insert: expected.filter((p) => p.op === 'insert').map((p) => p.text), delete: expected.filter((p) => p.op === 'delete').map((p) => p.text) });
  expect(expected).toEqual([{ op: 'delete', text: '2' }, { op: 'insert', text: '5' }, { op: 'insert', text: expect.stringContaining('四、补充说明') }]);
  await expect(card.textContent()).resolves.toContain(`第${returned}版`);
  await screenshot(page, 'redline', { docs: true });

  // The edit in the timeline opens the redline of that edit alone (the version before it against it).
  const edit = page.getByTestId('timeline').locator('li[data-action="edit"]');
  await edit.getByRole('button', { name: '查看修改' }).click();
  await until('the edit shows its redline', async () => (await edit.locator('ins').count()) > 0);
  const ofEdit = ((await counsel(`/api/documents/${doc.id}/versions/${edited}?diff=${edited - 1}`)).diff.content as Part[]).filter((p) => p.op === 'insert').map((p) => p.text);
  expect((await shown(edit)).insert).toEqual(ofEdit);
  await expect(edit.getByRole('button', { name: '收起修改' }).getAttribute('aria-expanded')).resolves.toBe('true');

  // In English the same card speaks English.
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { name: 'Changes since it was returned' }).waitFor();
  await expect(page.getByTestId('changes-since-return').textContent()).resolves.toContain(`v${returned}`);
});

