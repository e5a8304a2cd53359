// Writes Jest's aggregated counts to $JEST_RESULTS_FILE so CI can print its plain closing line.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export default class ResultsFileReporter {
  onRunComplete(_contexts, results) {
    const file = process.env.JEST_RESULTS_FILE;
    if (!file) return;
    mkdirSync(dirname(file), { recursive: true });
    const { numPassedTests, numFailedTests, numPendingTests, numTotalTestSuites, numFailedTestSuites, numRuntimeErrorTestSuites } = results;
    writeFileSync(file, JSON.stringify({ numPassedTests, numFailedTests, numPendingTests, numTotalTestSuites, numFailedTestSuites, numRuntimeErrorTestSuites }));
  }
}
