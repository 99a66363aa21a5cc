import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

/** What every screen must pass, in each language and on a phone: accessibility (axe-core), no sideways scrolling, one language. */

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation { id: string; impact: string | null; help: string; targets: string[] }

/** axe-core's serious and critical violations on the page as it is now (WCAG 2.1 A and AA rules, and axe's best practices). */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol: the page's CSP (no inline script) does not apply to it.
  if (!(await page.evaluate('typeof window.axe === "object"'))) await page.evaluate(axeSource);
  const found = (await page.evaluate(`window.axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => String(n.target)) })))`)) as AxeViolation[];
  return found.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** How far the page scrolls sideways (0: it fits the viewport; a wide table scrolls inside its own box). */
export async function sidewaysOverflow(page: Page): Promise<{ overflow: number; widest: string[] }> {
  return (await page.evaluate(`(() => {
    const width = document.documentElement.clientWidth;
    const overflow = Math.max(document.documentElement.scrollWidth, document.body.scrollWidth) - width;
    // The elements that stick out, to say what to fix (those inside a box that scrolls on its own do not count).
    const scrolls = (el) => { for (let p = el.parentElement; p; p = p.parentElement) { const o = getComputedStyle(p).overflowX; if (o === 'auto' || o === 'scroll' || o === 'hidden') return true; } return false; };
    const right = (el) => el.getBoundingClientRect().right + Math.max(0, parseFloat(getComputedStyle(el).marginRight) || 0);
    const widest = overflow > 0 ? [...document.body.querySelectorAll('*')].filter((el) => right(el) > width + 0.5 && !scrolls(el)).slice(0, 5).map((el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : '')) : [];
    return { overflow, widest };
  })()`)) as { overflow: number; widest: string[] };
}

/**
 * Words on the screen in the other language: Chinese characters in English mode, Latin words of three
 * letters or more in Chinese mode. What users wrote and names (marked `translate="no"`), codes and
 * hashes (`<code>`), text marked in its own language (`lang`), and the allowlist do not count.
 */
export async function wrongLanguage(page: Page, lang: 'zh' | 'en', allow: readonly string[] = LANGUAGE_ALLOWLIST): Promise<string[]> {
  const texts = (await page.evaluate(`(() => {
    const page = document.documentElement.lang.startsWith('zh') ? 'zh' : 'en';
    const out = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || el.closest('[translate="no"], code, script, style, svg')) continue;
      const marked = el.closest('[lang]');
      if (marked && !marked.getAttribute('lang').startsWith(page)) continue;
      const style = getComputedStyle(el);
      if (style.display === 'none' || style.visibility === 'hidden') continue;
      const text = n.textContent.trim();
      if (text) out.push(text);
    }
    // Labels a screen reader reads out: aria-label, title, placeholder, alt.
    for (const el of document.body.querySelectorAll('[aria-label], [title], [placeholder], img[alt]')) {
      if (el.closest('[translate="no"], code')) continue;
      const marked = el.closest('[lang]');
      if (marked && !marked.getAttribute('lang').startsWith(page)) continue;
      for (const a of ['aria-label', 'title', 'placeholder', 'alt']) { const v = el.getAttribute(a); if (v) out.push(v); }
    }
    return out;
  })()`)) as string[];
  const found = new Set<string>();
  for (const text of texts) {
    let rest = text;
    for (const a of allow) rest = rest.split(a).join(' ');
    const words = lang === 'en' ? rest.match(/[\u3400-\u9fff\uf900-\ufaff]+/g) : rest.match(/[A-Za-z]{3,}/g);
    for (const w of words ?? []) found.add(`${w}  (in: ${text.slice(0, 80)})`);
  }
  return [...found];
}

/**
 * Terms that stay as they are in both languages: the product's own names for formats and standards,
 * and the way a chain's version and a hash are written.
 */
export const LANGUAGE_ALLOWLIST = ['SHA-256', 'SHA256', 'JSON', 'PDF', 'OFD', 'Word', 'Excel', 'ZIP', 'URL', 'SM2', 'SM3', 'Ed25519', 'RFC 9162', 'CSV', 'JSONL', 'Mermaid', 'UTC', 'HTTP', 'SMTP'] as const;
