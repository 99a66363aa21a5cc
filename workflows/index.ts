import { annualReportChain } from './annual-report/annual-report.chain.js';
import { annualReportWithSignOff } from './annual-report/sign-off.js';
import { majorDecisionChain } from './major-decision/major-decision.chain.js';
import { normativeDocumentChain } from './normative-document/normative-document.chain.js';

/** The chains that ship; published at start-up through the same schema and compiler as any other. */
export const shippedChains: readonly unknown[] = [annualReportChain, normativeDocumentChain, majorDecisionChain];

/** Shipped alternatives a deployment may publish as the next version of a chain (`shenpi chain publish <name>`). */
export const chainVariants: Readonly<Record<string, unknown>> = { 'annual-report-sign-off': annualReportWithSignOff };
