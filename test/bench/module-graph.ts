import 'reflect-metadata';

/**
 * Loads the API's module graph (what test/support/api-process.ts imports) without opening anything, settles,
 * and reports its resident memory over IPC: run once with the bench's TypeScript loader and once
 * without, the difference is what the loader adds to the API process's RSS.
 */
await import('../../apps/api/app.js');
await import('../support/open-api.js');
await new Promise((r) => setTimeout(r, 300));
(globalThis as { gc?: () => void }).gc?.();
process.send!({ type: 'rss', rss: process.memoryUsage().rss });
process.disconnect();
