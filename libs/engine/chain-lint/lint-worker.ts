import { parentPort } from 'node:worker_threads';
import { lintChainDefinition } from '@shenpi/chains';
import { lintDirectoryOf, type LintDirectoryData } from './lint-directory.js';

/** The lint thread: one definition at a time, as ChainLinter posts them. */
export interface LintJob {
  raw: unknown;
  directory?: LintDirectoryData;
}

parentPort!.on('message', ({ raw, directory }: LintJob) => {
  parentPort!.postMessage(lintChainDefinition(raw, directory ? lintDirectoryOf(directory) : undefined));
});
parentPort!.postMessage('ready');
