// Whether a spec may start a run, given its last readiness review (review.required): pure.
import type { FactoryConfig } from '../../core/domain/config.ts';
import type { ReviewReport } from '../../core/domain/review.ts';

export type ReviewGateDecision =
  | { kind: 'start' }
  | { kind: 'refuse'; title: string; summary: string };

/** Does the gate apply at all (so the App looks nothing up when it does not)? */
export function reviewGateApplies(config: FactoryConfig, force: boolean): boolean {
  return config.review.enabled && config.review.required && !force;
}

export function decideReviewGate(config: FactoryConfig, report: ReviewReport | null, force: boolean): ReviewGateDecision {
  if (!reviewGateApplies(config, force) || report === null || report.blocking === 0) return { kind: 'start' };
  const lines = report.blocking_lines.map((line) => `- \`${line}\``);
  return {
    kind: 'refuse',
    title: `Spec not ready: ${report.blocking} blocking review finding(s)`,
    summary: [
      `No run was started: \`review.required\` is on and the last spec-readiness review of ${report.head_sha.slice(0, 7)} had ${report.blocking} blocking finding(s):`,
      '', ...lines, ...(report.blocking > lines.length ? [`- … and ${report.blocking - lines.length} more`] : []),
      '', 'Fix the spec in a new pull request, or start the run anyway with `/factory run force=true` on an issue.',
    ].join('\n'),
  };
}
