// ESM all the way (NestJS 12 ships ESM only): run through `node --experimental-vm-modules`.
// ts-jest transpiles file by file (tsconfig `isolatedModules`); `npm test` type-checks once with tsc.
const common = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    '^@shenpi/workflows$': '<rootDir>/workflows/index.ts',
    '^@shenpi/(.*)$': '<rootDir>/libs/$1/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, diagnostics: false }] },
};

export default {
  // A loaded 2-core CI machine can take seconds for a suite's set-up on PostgreSQL; a stuck test still fails.
  testTimeout: 30_000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{libs,apps,workflows,scripts}/**/*.spec.ts'] },
    { ...common, displayName: 'integration', testMatch: ['<rootDir>/test/integration/**/*.int-spec.ts'] },
    // Every answer is checked against the served OpenAPI document (test/support/contract-check.ts).
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'], setupFilesAfterEnv: ['<rootDir>/test/support/contract-setup.ts'] },
    // Quick sizes under `npm test`; RELIABILITY_SIZE=full (npm run test:reliability) runs the full ones.
    { ...common, displayName: 'reliability', testMatch: ['<rootDir>/test/reliability/**/*.rel-spec.ts'] },
    // The web UI in Debian's Chromium (playwright-core) against the API in a child process.
    { ...common, displayName: 'ui', testMatch: ['<rootDir>/test/ui/**/*.ui-spec.ts'] },
  ],
};
