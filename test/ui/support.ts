import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { forkApi } from '../support/fork-api.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const PASSWORD = 'ui-test-password';
export const SCREENSHOTS = join(ROOT, 'test/e2e/screenshots');
const DOCS_SCREENSHOTS = join(ROOT, 'docs/screenshots');
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Builds apps/web into dist/web when the build is missing or older than its sources (apps/web/build.mjs decides). */
export function ensureWebBuild() {
  execFileSync(process.execPath, [join(ROOT, 'apps/web/build.mjs')], { cwd: ROOT, stdio: 'inherit', timeout: 180_000 });
}

export interface UiServer { url: string; stop(): Promise<void> }

/**
 * The real API in a process of its own on a fresh SQLite file, serving dist/web, with the demo
 * organisation, a second legal counsel (公职律师 `lawyer`, so that a task can be handed on to a
 * holder of the role) and the embedded scheduler.
 */
export async function startUiServer(): Promise<UiServer> {
  const dir = mkdtempSync(join(tmpdir(), 'shenpi-ui-'));
  const api = await forkApi({
    database: { sqlitePath: join(dir, 'shenpi.sqlite') },
    attachments: { dir: join(dir, 'attachments'), maxBytes: 1024 * 1024 },
    jwtSecret: 'ui-test-secret',
    seed: { password: PASSWORD, users: [{ username: 'lawyer', displayName: '公职律师 / Public-service lawyer', departmentId: 'city-sti', roles: ['legal-counsel'] }] },
    scheduler: true,
    webRoot: join(ROOT, 'dist/web'),
  });
  return {
    url: api.url,
    async stop() {
      await api.stop(5000);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** Saves test/e2e/screenshots/<name>.png; the README's three also go to docs/screenshots when missing or with UI_UPDATE_SCREENSHOTS=1. */
export async function screenshot(page: Page, name: string, { fullPage = false, docs = false } = {}) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage });
  if (docs) {
    const target = join(DOCS_SCREENSHOTS, `${name}.png`);
    if (process.env.UI_UPDATE_SCREENSHOTS === '1' || !existsSync(target)) {
      mkdirSync(DOCS_SCREENSHOTS, { recursive: true });
      copyFileSync(file, target);
    }
  }
}

/** The API directly, as `username` (to set things up and to check what the clicks did): GET, or POST (or `method`) with a body. */
export async function apiAs(url: string, username: string) {
  const login = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) });
  const { accessToken } = (await login.json()) as { accessToken: string };
  return async <T = any>(path: string, body?: unknown, method: 'POST' | 'PATCH' | 'PUT' | 'DELETE' = 'POST'): Promise<T> => {
    const res = await fetch(`${url}${path}`, {
      method: body === undefined ? 'GET' : method,
      headers: { authorization: `Bearer ${accessToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${body === undefined ? 'GET' : method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
}

/**
 * Waits until `check` holds (what a page does after an event, a stream or a file read): the page's
 * script may not evaluate strings (CSP without 'unsafe-eval'), so the test polls from here.
 */
export async function until(what: string, check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  for (const end = Date.now() + timeoutMs; Date.now() < end; await new Promise((r) => setTimeout(r, 100))) if (await check()) return;
  throw new Error(`timed out waiting until ${what}`);
}

export interface UiSession {
  /** The service's address. */
  readonly url: string;
  /** A page signed in as `username`, in a browser context of its own (zh-CN, Asia/Shanghai), closed after the file's tests. */
  signIn(username: string, options?: { password?: string; viewport?: { width: number; height: number }; browserTime?: string }): Promise<Page>;
  /** The page opened last (a failing step's screenshot). */
  lastPage(): Page | undefined;
}

/** The service and a Chromium for one spec file: started before its tests, stopped after them. */
export function useUi(): UiSession {
  let server: UiServer | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    ensureWebBuild();
    [server, browser] = await Promise.all([startUiServer(), launchChromium()]);
  }, 240_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await server?.stop();
  });
  return {
    get url() {
      return server!.url;
    },
    lastPage: () => contexts.at(-1)?.pages().at(-1),
    async signIn(username, { password = PASSWORD, viewport = { width: 1280, height: 900 }, browserTime } = {}) {
      const context = await browser!.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
      contexts.push(context);
      context.setDefaultTimeout(15_000);
      if (browserTime) await context.clock.setFixedTime(browserTime);
      const page = await context.newPage();
      page.on('pageerror', (err) => console.error(`page error (${username}): ${err.message}`));
      await page.goto(`${server!.url}/`);
      await page.getByLabel('用户名').fill(username);
      await page.getByLabel('密码').fill(password);
      await page.getByRole('button', { name: '登录' }).click();
      await page.getByTestId('who').waitFor();
      return page;
    },
  };
}

/**
 * Steps of one walk that build on each other, as tests: after one fails, the rest fail at once naming
 * it (instead of each timing out), and the failing step's page is saved as `<name>-failure`.
 */
export function walkSteps(ui: UiSession, name: string): (title: string, fn: () => Promise<void>) => void {
  let failed = '';
  return (title, fn) =>
    test(title, async () => {
      if (failed) throw new Error(`skipped: an earlier step failed (${failed})`);
      try {
        await fn();
      } catch (err) {
        failed = title;
        const page = ui.lastPage();
        if (page) await screenshot(page, `${name}-failure`, { fullPage: true }).catch(() => undefined);
        throw err;
      }
    });
}
