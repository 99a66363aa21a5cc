import type { CompiledChain, TransitionDefinition } from '@shenpi/chains';
import { shanghaiDate, validationFailed } from '@shenpi/domain';

export interface Disclosure {
  url: string;
  publishedOn: string;
}

/** 向社会公开: only an action declared with the disclosure payload takes one, and it was not published in the future. */
export function checkDisclosure(chain: CompiledChain, action: string, disclosure: Disclosure | undefined, now: Date): void {
  if (!disclosure) return;
  if (!chain.declaredActions().some((t) => t.action === action && t.payload === 'disclosure')) {
    throw validationFailed([{ field: 'disclosure', reason: `"${action}" takes no disclosure` }]);
  }
  if (disclosure.publishedOn > shanghaiDate(now)) throw validationFailed([{ field: 'disclosure.publishedOn', reason: 'must not be in the future' }]);
}

/** The action that records a disclosure carries one. */
export function requireDisclosure(transition: TransitionDefinition | undefined, disclosure: Disclosure | undefined): void {
  if (transition?.payload === 'disclosure' && !disclosure) {
    throw validationFailed([{ field: 'disclosure', reason: 'disclosure { url, publishedOn } is required' }]);
  }
}
