import { annualReportChain } from './annual-report/annual-report.chain.js';
import { annualReportWithSignOff } from './annual-report/sign-off.js';
import { majorDecisionChain } from './major-decision/major-decision.chain.js';
import { normativeDocumentChain } from './normative-document/normative-document.chain.js';

/** The chains that ship; published at start-up through the same schema and compiler as any other. */
export const shippedChains: readonly unknown[] = [annualReportChain, normativeDocumentChain, majorDecisionChain];

/**
 * A shipped alternative to the chain `of`, with a key of its own: `shenpi chain publish <name>` publishes
 * it under that key (new documents of `of` are not affected); `--as <of>` makes it the next version of `of`.
 */
export interface ChainVariant {
  of: string;
  definition: { key: string };
}

export const chainVariants: Readonly<Record<string, ChainVariant>> = {
  'annual-report-sign-off': { of: annualReportChain.key, definition: annualReportWithSignOff },
};
