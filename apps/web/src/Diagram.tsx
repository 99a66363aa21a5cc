import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from './i18n';

let counter = 0;
/** Renders the Mermaid statechart text the API returns; mermaid is bundled and loaded on first use. */
export function Diagram({ source, label }: { source: string; label: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [ready, setReady] = useState(false);
  useEffect(() => {
    let live = true;
    setReady(false);
    (async () => {
      const mermaid = (await import('mermaid')).default;
      mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: 'default', fontFamily: '"WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC", sans-serif' });
      const { svg } = await mermaid.render(`chain-diagram-${++counter}`, source);
      if (live && ref.current) {
        ref.current.innerHTML = svg;
        setReady(true);
      }
    })().catch((err) => live && setError(String(err?.message ?? err)));
    return () => void (live = false);
  }, [source]);
  return (
    <figure class="diagram" aria-label={label} data-ready={ready ? 'true' : 'false'}>
      {!ready && !error && <p class="muted">{t('diagramLoading')}</p>}
      {error && <pre class="error">{error}</pre>}
      <div ref={ref} class="diagram-svg" />
    </figure>
  );
}
