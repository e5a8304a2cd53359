export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '\\.ts$': '<rootDir>/test/support/strip-types-transform.js' },
  globalSetup: '<rootDir>/test/support/require-node-24.js',
  testTimeout: 30000,
  // Every test file in a fresh worker process: files share no process-wide state (patched http,
  // fetch dispatchers, process.env, leftover buffers), which made App tests pass alone and fail
  // after others in one in-band process. A worker over this limit after a file is replaced.
  maxWorkers: 2,
  workerIdleMemoryLimit: '10MB',
  reporters: ['default', '<rootDir>/test/support/results-file-reporter.js'],
};
