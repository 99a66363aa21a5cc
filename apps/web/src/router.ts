import { useEffect, useState } from 'preact/hooks';

/** History routing: apps/api answers every non-API path with index.html. */
export function navigate(to: string) {
  if (to === location.pathname + location.search) return;
  history.pushState(null, '', to);
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
