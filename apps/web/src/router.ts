import { useEffect, useState } from 'preact/hooks';

/** The main navigation's sections, by path (and /me, 个人设置, linked beside the user's name). */
export const SECTIONS = ['/inbox', '/documents', '/chains', '/audit', '/organisation', '/calendar', '/me'] as const;
export type Section = (typeof SECTIONS)[number];

/**
 * The section a page belongs to: a section's own pages (/chains/:key too) by their path; a document
 * (/documents/:id) to the inbox when opened on a task (?task=), else to the section it was opened
 * from, kept in the history entry by `navigate`; null when nobody knows (a link from outside).
 */
export function sectionOf(pathAndQuery: string, from: unknown = history.state?.section): Section | null {
  const [path, search = ''] = pathAndQuery.split('?');
  if (/^\/documents\/[^/]+$/.test(path!)) {
    if (new URLSearchParams(search).has('task')) return '/inbox';
    return SECTIONS.includes(from as Section) ? (from as Section) : null;
  }
  return SECTIONS.find((s) => path === s || path!.startsWith(`${s}/`)) ?? null;
}

/** History routing: apps/api answers every non-API path with index.html. The entry remembers the section it was reached from. */
export function navigate(to: string) {
  if (to === location.pathname + location.search) return;
  history.pushState({ section: sectionOf(location.pathname + location.search) }, '', to);
  dispatchEvent(new PopStateEvent('popstate'));
}
export function useLocation() {
  const [path, setPath] = useState(location.pathname + location.search);
  useEffect(() => {
    const on = () => setPath(location.pathname + location.search);
    addEventListener('popstate', on);
    on(); // a navigation between the first render and this effect
    return () => removeEventListener('popstate', on);
  }, []);
  return path;
}
/** A link that routes without reloading (ctrl/cmd-click still opens a tab). */
export function linkProps(href: string) {
  return {
    href,
    onClick: (e: MouseEvent) => {
      if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
      e.preventDefault();
      navigate(href);
    },
  };
}

/** Replaces the current entry once mounted (never during render). */
export function Redirect({ to }: { to: string }) {
  useEffect(() => {
    history.replaceState(null, '', to);
    dispatchEvent(new PopStateEvent('popstate'));
  }, [to]);
  return null;
}
