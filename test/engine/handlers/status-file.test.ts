import { afterAll, describe, expect, it } from '@jest/globals';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AUTO_STATUS_NOTES, claimedOutcome, parseStatusFile, readStatusFile, removeStaleStatusFile } from '../../../core/engine/status-file.ts';
import { tempDir } from './stage-input.ts';

const root = tempDir('status-file-');
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('status file contract (Appendix C)', () => {
  it('reads every Appendix C field into an Outcome', () => {
    const path = join(root, 'full.json');
    writeFileSync(
      path,
      JSON.stringify({
        outcome: 'partial_success',
        preferred_label: 'Fix',
        suggested_next_ids: ['fix'],
        context_updates: { tests_passed: 'false', 'nested.key': 1 },
        notes: 'two tests fail',
      }),
    );
    expect(readStatusFile(path)).toEqual({
      status: 'partial_success',
      preferred_label: 'Fix',
      suggested_next_ids: ['fix'],
      context_updates: { tests_passed: 'false', 'nested.key': 1 },
      notes: 'two tests fail',
    });
  });

  it('treats an empty preferred label as no preference', () => {
    expect(parseStatusFile('{"outcome":"success","preferred_label":""}', 'x')).toEqual({ status: 'success' });
  });

  it('accepts the `status` spelling the engine itself writes', () => {
    expect(parseStatusFile('{"status":"retry","failure_reason":"flaky"}', 'x')).toEqual({ status: 'retry', failure_reason: 'flaky' });
  });

  it.each([
    ['not JSON', '{outcome: success', /invalid status file .*bad\.json: not valid JSON/],
    ['missing outcome', '{"notes":"done"}', /bad\.json: outcome: missing required field "outcome"/],
    ['unknown outcome', '{"outcome":"great"}', /bad\.json: outcome: /],
    ['wrongly typed field', '{"outcome":"success","suggested_next_ids":"fix"}', /bad\.json: suggested_next_ids: /],
  ])('turns a file with %s into a fail outcome naming the file and the problem', (_case, text, reason) => {
    const path = join(root, 'bad.json');
    writeFileSync(path, text);
    const outcome = readStatusFile(path);
    expect(outcome.status).toBe('fail');
    expect(outcome.failure_reason).toMatch(reason);
  });

  it('claims nothing without a file unless auto_status is set', () => {
    const stageDir = tempDir('status-claim-');
    try {
      expect(claimedOutcome(stageDir, false)).toBeUndefined();
      expect(claimedOutcome(stageDir, true)).toEqual({ status: 'success', notes: AUTO_STATUS_NOTES });
      writeFileSync(join(stageDir, 'status.json'), '{"outcome":"fail","notes":"no"}');
      expect(claimedOutcome(stageDir, true)).toEqual({ status: 'fail', notes: 'no' });
      removeStaleStatusFile(stageDir);
      expect(existsSync(join(stageDir, 'status.json'))).toBe(false);
      removeStaleStatusFile(stageDir);
    } finally {
      rmSync(stageDir, { recursive: true, force: true });
    }
  });
});
