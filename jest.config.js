export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '\\.ts$': '<rootDir>/test/support/strip-types-transform.js' },
  globalSetup: '<rootDir>/test/support/require-node-24.js',
  testTimeout: 30000,
  reporters: ['default', '<rootDir>/test/support/results-file-reporter.js'],
};
