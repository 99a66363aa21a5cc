import { annualReportChain } from './annual-report/annual-report.chain.js';

/** The chains that ship; published at start-up through the same schema and compiler as any other. */
export const shippedChains: readonly unknown[] = [annualReportChain];
