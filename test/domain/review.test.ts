import { describe, expect, it } from '@jest/globals';
import { parseCommand } from '../../core/domain/commands.ts';
import { parseFactoryConfig } from '../../core/domain/config.ts';
import { ReviewDispatchInputsSchema, ScenariosDispatchInputsSchema } from '../../core/domain/dispatch.ts';
import { embedReviewReport, extractReviewReport, formatFinding, mergeFindings, readinessSummary, reviewReport, type Finding } from '../../core/domain/review.ts';
import { parseScenario } from '../../core/domain/scenario.ts';

const finding = (patch: Partial<Finding>): Finding => ({ file: 'spec/a.md', line: 3, kind: 'gap', message: 'What happens on a duplicate?', blocking: false, critics: ['m1'], ...patch });

describe('review findings', () => {
  it('read as file:line kind message, blocking marked', () => {
    expect(formatFinding(finding({ kind: 'contradiction', blocking: true, message: 'says 410\n while intent says 404' })))
      .toBe('spec/a.md:3 contradiction says 410 while intent says 404 [blocking]');
  });

  it('merge the same finding of two critics into one, blocking when either said so, blocking ones first', () => {
    const merged = mergeFindings([
      [finding({ kind: 'ambiguity', line: 9, message: '"soon" can be read two ways' }), finding({ message: 'duplicate shortening is unspecified' })],
      [finding({ line: 4, message: 'The spec never says what a duplicate shortening does', blocking: true, critics: ['m2'] }), finding({ line: 30, message: 'unrelated gap far away', critics: ['m2'] })],
    ]);
    expect(merged.map((f) => [f.line, f.kind, f.blocking, f.critics])).toEqual([
      [3, 'gap', true, ['m1', 'm2']],
      [9, 'ambiguity', false, ['m1']],
      [30, 'gap', false, ['m2']],
    ]);
  });

  it('never let wording findings block', () => {
    expect(mergeFindings([[finding({ kind: 'untestable', blocking: true })]])[0]?.blocking).toBe(false);
  });

  it('leave a report in the check output that the App reads back, and nothing else passes for one', () => {
    const report = reviewReport('a'.repeat(40), [finding({ kind: 'contradiction', blocking: true }), finding({ kind: 'untestable', line: 8 })]);
    expect(report.counts).toEqual({ gap: 0, ambiguity: 0, contradiction: 1, untestable: 1 });
    expect(extractReviewReport(`summary\n${embedReviewReport(report)}\n`)).toEqual(report);
    expect(extractReviewReport('<!-- factory-review {"version":1} -->')).toBeNull();
    expect(extractReviewReport(null)).toBeNull();
    expect(readinessSummary([finding({ blocking: true })])).toContain('**Not ready**: 1 blocking');
  });
});

describe('interactive-shift contracts', () => {
  it('config: review and drift blocks with defaults; unknown keys are errors', () => {
    const parsed = parseFactoryConfig('version: 1\nreview: { enabled: true, models: [anthropic/x], required: true }\ndrift: { target_url: "https://links.example", threshold: 0.8 }\n');
    expect(parsed.ok && parsed.config.review).toEqual({ enabled: true, models: ['anthropic/x'], max_usd: 2, required: true });
    expect(parsed.ok && parsed.config.drift).toEqual({ target_url: 'https://links.example', threshold: 0.8 });
    const bad = parseFactoryConfig('version: 1\nreview: { enable: true }\ndrift: { target_url: "ftp://x" }\n');
    expect(bad.ok ? [] : bad.issues.map((issue) => issue.path)).toEqual(expect.arrayContaining(['review.enable', 'drift.target_url']));
  });

  it('commands: `/factory run force=true` and `/factory scenarios`', () => {
    expect(parseCommand('/factory run force=true')).toEqual({ kind: 'command', command: { name: 'run', args: { force: 'true' } } });
    expect(parseCommand('/factory run force=yes')).toMatchObject({ kind: 'error' });
    expect(parseCommand('/factory scenarios')).toEqual({ kind: 'command', command: { name: 'scenarios', args: {} } });
  });

  it('dispatch inputs of review.yml and scenarios.yml are strict', () => {
    const sha = 'b'.repeat(40);
    expect(ReviewDispatchInputsSchema.safeParse({ pr_number: '2', head_sha: sha, base_sha: sha, check_run_id: '9', request_id: 'r' }).success).toBe(true);
    expect(ScenariosDispatchInputsSchema.safeParse({ pr_number: '2', head_sha: sha, base_sha: sha, request_id: 'r', extra: 'x' }).success).toBe(false);
  });

  it('scenarios: production_safe defaults to false', () => {
    const text = '---\nid: s\ntitle: t\ncategory: happy\nrubric: [{ id: a }]\nproduction_safe: true\n---\n## Story\ns\n## Steps\ns\n## Expected\ne\n## Judge criteria\n- a: ok\n';
    const parsed = parseScenario(text);
    expect(parsed.ok && parsed.scenario.production_safe).toBe(true);
    const plain = parseScenario(text.replace('production_safe: true\n', ''));
    expect(plain.ok && plain.scenario.production_safe).toBe(false);
  });
});
