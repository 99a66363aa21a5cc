import { enableContractCheck, takeViolations } from './contract-check.js';

/**
 * The e2e project's setup (jest.config.js): every answer of every app a test starts through
 * test-app.ts is checked against the served OpenAPI document; a test during which one broke the
 * contract fails, listing each such answer by method, route and status.
 */
enableContractCheck();

const fail = async (when: string) => {
  const violations = [...new Set(await takeViolations())];
  if (violations.length) throw new Error(`answers ${when} break the OpenAPI contract:\n- ${violations.join('\n- ')}`);
};

afterEach(() => fail('in this test'));
afterAll(() => fail('in the set-up or tear-down of this file'));
