import { describe, expect, it } from '@jest/globals';
import { decideRerun } from '../../app/decide/rerun.ts';

describe('decideRerun: /factory rerun resumes an unfinished run, or starts over', () => {
  it('resumes a run that failed (a budget stop or a crash included), was cancelled or timed out', () => {
    for (const conclusion of ['failure', 'cancelled', 'timed_out']) {
      expect(decideRerun({ status: 'completed', conclusion, runId: 7 }, false)).toEqual({ kind: 'resume', runId: 7 });
    }
  });

  it('starts over with --fresh, after a success, while the last run still runs, or when no run is known', () => {
    expect(decideRerun({ status: 'completed', conclusion: 'failure', runId: 7 }, true)).toEqual({ kind: 'fresh', why: '`--fresh` was given' });
    expect(decideRerun({ status: 'completed', conclusion: 'success', runId: 7 }, false)).toMatchObject({ kind: 'fresh', why: 'the last run (7) ended success' });
    expect(decideRerun({ status: 'in_progress', conclusion: null, runId: 7 }, false)).toMatchObject({ kind: 'fresh', why: 'the last run (7) has not finished' });
    expect(decideRerun({ status: 'completed', conclusion: 'failure' }, false)).toMatchObject({ kind: 'fresh', why: 'no earlier run is recorded on this PR' });
    expect(decideRerun(undefined, false)).toMatchObject({ kind: 'fresh' });
  });
});
