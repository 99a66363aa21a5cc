/** Quick sizes by default (under `npm test`); full sizes with RELIABILITY_SIZE=full (`npm run test:reliability`). */
export const FULL = process.env.RELIABILITY_SIZE === 'full';

export const size = (quick: number, full: number) => (FULL ? full : quick);
