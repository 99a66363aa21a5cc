import { jest } from '@jest/globals';
import type { Page } from 'playwright-core';
import { REPORT_OUTLINE } from '../support/report-outline.js';
import { seriousViolations, sidewaysOverflow, wrongLanguage } from './screen-checks.js';
import { apiAs, screenshot, until, useUi } from './support.js';

/**
 * Every screen, as the role that uses it, in Chinese and in English and on a phone (390×844):
 * no serious or critical accessibility violation (axe-core), no sideways scrolling of the page
 * (wide tables scroll in their own box), and no word in the other language outside what users
 * wrote and names (marked translate="no") and a short allowlist of terms.
 */
jest.setTimeout(240_000);

const ui = useUi();
const PHONE = { width: 390, height: 844 };

interface Screen {
  name: string;
  user: string;
  /** The path, once the set-up below has made the data it shows. */
  path: () => string;
  /** Waits until the screen has loaded what it shows. */
  ready: (page: Page) => Promise<unknown>;
}

let docId = '';
const heading = (page: Page) => page.locator('main h1').first().waitFor();

const SCREENS: Screen[] = [
  { name: 'inbox', user: 'counsel', path: () => '/inbox', ready: (p) => p.locator('table.tasks tbody tr').first().waitFor() },
  { name: 'my documents', user: 'drafter', path: () => '/documents', ready: (p) => p.getByRole('link', { name: '屏幕检查' }).first().waitFor() },
  { name: 'document (drafter)', user: 'drafter', path: () => `/documents/${docId}`, ready: (p) => p.getByTestId('timeline').waitFor() },
  { name: 'document (reviewer)', user: 'counsel', path: () => `/documents/${docId}?task=1`, ready: (p) => p.getByTestId('timeline').waitFor() },
  { name: 'chains', user: 'admin', path: () => '/chains', ready: heading },
  { name: 'chain with a migration', user: 'admin', path: () => '/chains/normative-document', ready: (p) => p.getByTestId('migration').waitFor() },
  { name: 'chain editor', user: 'admin', path: () => '/chains/annual-report', ready: (p) => p.locator('main form, main table').first().waitFor() },
  { name: 'audit (supervisor)', user: 'supervisor', path: () => '/audit', ready: heading },
  { name: 'audit (admin)', user: 'admin', path: () => '/audit', ready: heading },
  { name: 'organisation', user: 'admin', path: () => '/organisation', ready: (p) => p.locator('[data-testid="users"] tbody tr').first().waitFor() },
  { name: 'calendar', user: 'admin', path: () => '/calendar', ready: heading },
  { name: 'my settings (reviewer)', user: 'counsel', path: () => '/me', ready: (p) => p.getByTestId('notification-settings').locator('form').waitFor() },
  { name: 'my settings (office)', user: 'office', path: () => '/me', ready: (p) => p.getByTestId('copies').locator('tbody tr').first().waitFor() },
];

beforeAll(async () => {
  const drafter = await apiAs(ui.url, 'drafter');
  const counsel = await apiAs(ui.url, 'counsel');
  const doc = await drafter('/api/documents', { chain: 'annual-report', title: '屏幕检查', year: 2024, departmentId: 'city-sti', content: REPORT_OUTLINE });
  docId = doc.id;
  await drafter(`/api/documents/${docId}/actions`, { action: 'submit' });
  const task = (await counsel(`/api/documents/${docId}`)).openTasks[0].id;
  await counsel(`/api/tasks/${task}/decision`, { decision: 'return', comment: '请补充' });
  await drafter(`/api/documents/${docId}`, { content: `${REPORT_OUTLINE}\n补充。`, expectedVersion: 3 }, 'PATCH');
  await drafter(`/api/documents/${docId}/actions`, { action: 'submit' });
  // A copy to the office and a substitute of the counsel: 个人设置 shows a table of each.
  const office = await apiAs(ui.url, 'office');
  await drafter(`/api/documents/${docId}/copies`, { userIds: [(await office('/api/me')).id], comment: '请知悉' });
  // A second version of a chain: its page offers the migration of documents on the first.
  const admin = await apiAs(ui.url, 'admin');
  const normative = (await admin('/api/chains/normative-document/versions/1')).definition;
  normative.steps[1].deadline = { workingDays: 7 };
  await admin('/api/chains', normative);
  const lawyer = (await counsel('/api/users?limit=200')).items.find((u: { username: string }) => u.username === 'lawyer');
  await counsel('/api/me/proxies', { substituteId: lawyer.id, startsAt: '2030-01-01T00:00:00Z', endsAt: '2030-01-10T00:00:00Z', comment: '出差' });
}, 120_000);

const pages = new Map<string, Page>();
/** One signed-in page per user and viewport, reused across screens. */
async function pageFor(user: string, phone: boolean): Promise<Page> {
  const key = `${user}:${phone}`;
  if (!pages.has(key)) pages.set(key, await ui.signIn(user, phone ? { viewport: PHONE } : undefined));
  return pages.get(key)!;
}

async function open(page: Page, screen: Screen, lang: 'zh' | 'en') {
  await page.evaluate(`localStorage.setItem('shenpi.lang', '${lang}')`);
  await page.goto(`${ui.url}${screen.path()}`);
  await until(`the page is in ${lang}`, async () => ((await page.evaluate('document.documentElement.lang')) as string).startsWith(lang));
  // The data each screen shows is in Chinese either way: wait on the structure, not on words.
  await screen.ready(page);
  await page.waitForLoadState('networkidle');
}

describe.each(SCREENS)('$name', (screen) => {
  test.each(['zh', 'en'] as const)('in %s: accessible and in one language', async (lang) => {
    const page = await pageFor(screen.user, false);
    await open(page, screen, lang);
    expect({ screen: screen.name, lang, axe: await seriousViolations(page) }).toEqual({ screen: screen.name, lang, axe: [] });
    expect({ screen: screen.name, lang, words: await wrongLanguage(page, lang) }).toEqual({ screen: screen.name, lang, words: [] });
  });

  test('on a phone: no sideways scrolling, accessible', async () => {
    const page = await pageFor(screen.user, true);
    await open(page, screen, 'zh');
    const fit = await sidewaysOverflow(page);
    if (fit.overflow > 0) await screenshot(page, `phone-${screen.name.replace(/\W+/g, '-')}`, { fullPage: true });
    expect({ screen: screen.name, ...fit }).toEqual({ screen: screen.name, overflow: 0, widest: [] });
    expect({ screen: screen.name, axe: await seriousViolations(page) }).toEqual({ screen: screen.name, axe: [] });
  });
});

test('the login page, in both languages and on a phone', async () => {
  const page = await pageFor('drafter', true);
  await page.evaluate(`localStorage.clear()`);
  await page.goto(`${ui.url}/login`);
  // Signed in already: sign out to see the login page.
  await page.getByRole('button', { name: '退出' }).click();
  await page.getByLabel('用户名').waitFor();
  expect(await sidewaysOverflow(page)).toEqual({ overflow: 0, widest: [] });
  expect(await seriousViolations(page)).toEqual([]);
  expect(await wrongLanguage(page, 'zh')).toEqual([]);
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByLabel('Username').waitFor();
  expect(await seriousViolations(page)).toEqual([]);
  expect(await wrongLanguage(page, 'en')).toEqual([]);
  pages.delete('drafter:true');
});
