// Nothing left hanging: which open checks a finished workflow run leaves behind, and how to close them.
import { CHECK_NAMES } from '../../core/domain/checks.ts';
import type { CheckRunInfo, Conclusion } from '../github/checks.ts';

const SWEPT: ReadonlySet<string> = new Set([CHECK_NAMES.factory, CHECK_NAMES.satisfaction]);

export function isFactoryWorkflow(path: string, workflows: readonly string[]): boolean {
  return workflows.some((workflow) => path === `.github/workflows/${workflow}` || path.endsWith(`/${workflow}`));
}

export function openChecksOfRun(checks: readonly CheckRunInfo[], runId: number): CheckRunInfo[] {
  const seen = new Set<number>();
  return checks.filter((check) => {
    if (seen.has(check.id)) return false;
    seen.add(check.id);
    return SWEPT.has(check.name) && check.status !== 'completed' && check.externalId?.run === runId;
  });
}

export function sweepConclusion(runConclusion: string | null): { conclusion: Conclusion; reason: string } {
  if (runConclusion === 'cancelled') return { conclusion: 'cancelled', reason: 'the workflow run was cancelled before it concluded this check' };
  if (runConclusion === 'success') return { conclusion: 'failure', reason: 'the workflow run finished without concluding this check' };
  return { conclusion: 'failure', reason: `the workflow run ended (${runConclusion ?? 'unknown'}) before it concluded this check` };
}
