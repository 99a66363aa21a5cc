import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The web UI: Preact (JSX via Vite's own transform, no plugin), built into dist/web, which apps/api serves at `/`.
const root = fileURLToPath(new URL('.', import.meta.url));
export default defineConfig({
  root,
  base: '/',
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: fileURLToPath(new URL('../../dist/web', import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
    // mermaid is loaded on demand (dynamic import) and is large by nature.
    chunkSizeWarningLimit: 4000,
    reportCompressedSize: false,
  },
});
