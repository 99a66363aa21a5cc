import { DEFAULT_LINT_BUDGET, lintBudgetFromEnv, MIN_LINT_MEMORY_MB } from './chain-linter.js';

describe('the lint budget from the environment', () => {
  it('refuses a memory budget too small for a lint thread to start (it would take the process down)', () => {
    expect(lintBudgetFromEnv({})).toEqual(DEFAULT_LINT_BUDGET);
    expect(lintBudgetFromEnv({ LINT_MEMORY_BUDGET_MB: String(MIN_LINT_MEMORY_MB), LINT_TIME_BUDGET_MS: '300' })).toEqual({ memoryMb: MIN_LINT_MEMORY_MB, timeMs: 300 });
    expect(() => lintBudgetFromEnv({ LINT_MEMORY_BUDGET_MB: '12' })).toThrow(/LINT_MEMORY_BUDGET_MB must be a whole number ≥ 16/);
    expect(() => lintBudgetFromEnv({ LINT_TIME_BUDGET_MS: '0' })).toThrow(/LINT_TIME_BUDGET_MS must be a whole number ≥ 1/);
  });
});
