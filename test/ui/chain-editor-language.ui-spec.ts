import { jest } from '@jest/globals';
import type { Page } from 'playwright-core';
import { PASSWORD, screenshot, useUi } from './support.js';
import { wrongLanguage } from './screen-checks.js';

/**
 * The chain editor (审批链配置) speaks the page's language: an administrator breaks a step key and a
 * return target in the form, validates, and reads what is wrong beside each field in Chinese, then in
 * English, as the API says it (`message: { zh, en }` of each finding); a refused publish is shown the
 * same way. Versions, roles, transitions and signers are named in words, never as keys or JSON.
 */
jest.setTimeout(180_000);

const ui = useUi();
type Finding = { path: string; reason: string; message: { zh: string; en: string } };

/** The API as admin, answering status and body whatever the status. */
async function adminApi() {
  const login = await fetch(`${ui.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: PASSWORD }) });
  const { accessToken } = (await login.json()) as { accessToken: string };
  return async (path: string, body?: unknown) => {
    const res = await fetch(`${ui.url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${accessToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
}

/** What the page says about a field: the text of what describes it, if it is marked invalid. */
async function saidAt(page: Page, id: string): Promise<string | null> {
  const field = page.locator(`#${id}`);
  if ((await field.getAttribute('aria-invalid')) !== 'true') return null;
  const describedBy = await field.getAttribute('aria-describedby');
  return describedBy ? ((await page.locator(`#${describedBy}`).textContent()) ?? '').trim() : '';
}

/** Words in the wrong language on the editor's screen (the chain list above it is another screen part, checked in screens.ui-spec). */
async function wrongWordsInEditor(page: Page, lang: 'zh' | 'en'): Promise<string[]> {
  const list = page.getByTestId('chains').locator('xpath=ancestor::div[1]');
  await list.evaluate((el) => ((el as any).style.visibility = 'hidden'));
  try {
    return await wrongLanguage(page, lang);
  } finally {
    await list.evaluate((el) => ((el as any).style.visibility = ''));
  }
}

test('an administrator reads what is wrong with a chain beside each field, in Chinese and in English, as the API says it', async () => {
  const api = await adminApi();
  const page = await ui.signIn('admin');
  await page.goto(`${ui.url}/chains/annual-report`);
  await page.locator('.diagram[data-ready="true"]').waitFor({ timeout: 20_000 });

  // Versions in words, the chain by its name (its key only as a code), roles by name only.
  await expect(page.locator('#chain-version option').allTextContents()).resolves.toEqual(['第1版']);
  await expect(page.getByRole('heading', { name: '法治政府建设年度报告 · 版本' }).count()).resolves.toBe(1);
  await expect(page.locator('section[aria-labelledby="versions-title"] code[translate="no"]', { hasText: 'annual-report' }).count()).resolves.toBe(1);
  await expect(page.locator('.diagram').getAttribute('aria-label')).resolves.toBe('法治政府建设年度报告 第1版的审批流程图');
  const roleOptions = await page.locator('#step-1-role option').allTextContents();
  expect(roleOptions).toContain('法律顾问');
  expect(roleOptions.filter((o) => /[()（）a-z]/.test(o))).toEqual([]);
  // Transitions by action name, each leading to a step chosen by name.
  const step1 = page.locator('li.step').nth(1);
  await expect(step1.getByTestId('transitions').locator('label').allTextContents()).resolves.toEqual(['“通过”转至', '“退回”转至', '“撤回”转至']);
  await expect(step1.getByLabel('“退回”转至').evaluate((el: any) => el.selectedOptions[0].textContent)).resolves.toBe('起草');
  expect(await wrongWordsInEditor(page, 'zh')).toEqual([]);

  // Break the step key (the draft's, twice) and the return target (forward, to the party group's review).
  await step1.getByLabel('环节标识').fill('draft');
  await step1.getByLabel('“退回”转至').selectOption('party-group-review');
  await page.getByRole('button', { name: '校验' }).click();
  await page.locator('[data-testid="validation"][data-valid="false"]').waitFor();

  // The API's answer for the same definition: the same findings, in both languages.
  const definition = (await api('/api/chains/annual-report/versions/1')).body.definition;
  definition.steps[1].key = 'draft';
  definition.steps[1].transitions[1].to = 'party-group-review';
  const lint = await api('/api/chains/validate', definition);
  expect(lint.status).toBe(200);
  const errors = lint.body.errors as Finding[];
  const at = (path: string) => errors.find((e) => e.path === path)!;
  expect(at('steps[1].key')).toEqual({ path: 'steps[1].key', reason: 'duplicate step key "draft"', message: { zh: '重复的环节标识“draft”', en: 'duplicate step key "draft"' } });
  expect(at('steps[1].transitions[1].to').message).toEqual({ zh: '退回只能回到之前的环节，不能回到“party-group-review”', en: 'a return goes to an earlier step, not "party-group-review"' });
  expect(at('steps[0].transitions[0].to').message.zh).toBe('没有名为“legal-review”的环节');
  await expect(page.getByTestId('validation').textContent()).resolves.toContain(`(${errors.length})`);

  // Each at its field, marked invalid, in Chinese; the fields nothing points to are not marked.
  expect(await saidAt(page, 'step-1-key')).toBe(at('steps[1].key').message.zh);
  expect(await saidAt(page, 'step-1-t1-to')).toBe(at('steps[1].transitions[1].to').message.zh);
  expect(await saidAt(page, 'step-0-t0-to')).toBe(at('steps[0].transitions[0].to').message.zh);
  expect(await saidAt(page, 'step-1-zh')).toBeNull();
  expect(await saidAt(page, 'step-1-t0-to')).toBeNull();
  // A finding no field of the form edits is named by where it is, in words, never by its path.
  const step2 = page.locator('li.step').nth(2).getByTestId('step-errors');
  await expect(step2.textContent()).resolves.toBe(`流转“退回” · 可退回环节的第2项：${at('steps[2].transitions[1].returnTo[1]').message.zh}`);
  await expect(page.locator('main').textContent()).resolves.not.toMatch(/steps\[\d/);
  expect(await wrongWordsInEditor(page, 'zh')).toEqual([]);
  await screenshot(page, 'chain-editor-findings-zh', { fullPage: true });

  // English (the page starts afresh in the other language): the same edits, published this time. The
  // refusal's findings are shown where they point, in English; then validating says the same.
  const refused = await api('/api/chains', definition);
  expect(refused.status).toBe(400);
  expect(refused.body.details).toContainEqual({ field: 'steps[1].key', reason: 'duplicate step key "draft"', message: { zh: '重复的环节标识“draft”', en: 'duplicate step key "draft"' } });
  await page.getByRole('button', { name: 'English' }).click();
  await page.locator('.diagram[data-ready="true"]').waitFor({ timeout: 20_000 });
  await step1.getByLabel('Step key').fill('draft');
  await step1.getByLabel('“Return” goes to').selectOption('party-group-review');
  await page.getByRole('button', { name: 'Publish a new version' }).click();
  await page.locator('[data-testid="validation"][data-valid="false"]').waitFor();
  await expect(page.getByTestId('validation').textContent()).resolves.toContain(`(${refused.body.details.length})`);
  expect(await saidAt(page, 'step-1-key')).toBe('duplicate step key "draft"');
  expect((await api('/api/chains')).body.items.find((c: { key: string }) => c.key === 'annual-report').latestVersion).toBe(1);
  await page.getByRole('button', { name: 'Validate' }).click();
  await page.locator('[data-testid="validation"][data-valid="false"]').waitFor();
  expect(await saidAt(page, 'step-1-key')).toBe('duplicate step key "draft"');
  expect(await saidAt(page, 'step-1-t1-to')).toBe(at('steps[1].transitions[1].to').message.en);
  expect(await saidAt(page, 'step-0-t0-to')).toBe(at('steps[0].transitions[0].to').message.en);
  await expect(step2.textContent()).resolves.toBe(`Transition “Return” · Return target 2: ${at('steps[2].transitions[1].returnTo[1]').message.en}`);
  await expect(page.locator('#chain-version option').allTextContents()).resolves.toEqual(['v1']);
  await expect(step1.getByTestId('transitions').locator('label').allTextContents()).resolves.toEqual(['“Approve” goes to', '“Return” goes to', '“Withdraw” goes to']);
  await expect(page.locator('.diagram').getAttribute('aria-label')).resolves.toBe('Diagram of Annual report on building rule-of-law government v1');
  expect(await wrongWordsInEditor(page, 'en')).toEqual([]);
  await screenshot(page, 'chain-editor-findings-en', { fullPage: true });
});

test('a 会签 step lists its signers by role and its signing in words; a published version is named by the chain and 第N版', async () => {
  const api = await adminApi();
  const definition = (await api('/api/chains/annual-report/versions/1')).body.definition;
  delete definition.steps[1].assignee;
  Object.assign(definition.steps[1], { assignees: [{ role: 'legal-counsel', department: 'document' }, { role: 'leader', department: 'document' }], signing: 'all', threshold: 1 });
  const published = await api('/api/chains', definition);
  expect(published.status).toBe(201);
  const page = await ui.signIn('admin');
  await page.goto(`${ui.url}/chains/annual-report`);
  await page.locator('.diagram[data-ready="true"]').waitFor({ timeout: 20_000 });
  await expect(page.locator('#chain-version option').allTextContents()).resolves.toEqual([`第${published.body.version}版`, '第1版']);
  await expect(page.locator('li.step').nth(1).getByTestId('signers').textContent()).resolves.toBe('办理人: 法律顾问、主要负责人 / 分管领导 · 会签（1人通过即可）');
  expect(await wrongWordsInEditor(page, 'zh')).toEqual([]);

  await page.locator('li.step').nth(1).getByLabel('期限', { exact: true }).fill('9');
  await page.getByRole('button', { name: '发布新版本' }).click();
  const next = published.body.version + 1;
  await page.getByRole('status').filter({ hasText: `已发布：法治政府建设年度报告 第${next}版` }).waitFor();
  expect((await api(`/api/chains/annual-report/versions/${next}`)).body.definition.steps[1].deadline).toEqual({ workingDays: 9 });
  await page.getByRole('button', { name: 'English' }).click();
  await page.locator('.diagram[data-ready="true"]').waitFor({ timeout: 20_000 });
  await expect(page.locator('#chain-version option').first().textContent()).resolves.toBe(`v${next}`);
  await expect(page.locator('li.step').nth(1).getByTestId('signers').textContent()).resolves.toBe('Signers: Legal counsel, Principal / leader in charge · All sign; passes when 1 approve');
  expect(await wrongWordsInEditor(page, 'en')).toEqual([]);
});
