import { annualReportChain } from './annual-report/annual-report.chain.js';
import { majorDecisionChain } from './major-decision/major-decision.chain.js';
import { normativeDocumentChain } from './normative-document/normative-document.chain.js';

/** The chains that ship; published at start-up through the same schema and compiler as any other. */
export const shippedChains: readonly unknown[] = [annualReportChain, normativeDocumentChain, majorDecisionChain];
