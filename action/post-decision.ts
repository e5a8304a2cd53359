// What the post step does, decided from what the main step left behind. Pure.
export interface PostStepFacts {
  runDir?: string;
  checkpointExists: boolean;
  checkConcluded: boolean;
  /** The raw `check-run-id` input. */
  checkRunId: string;
}

export interface PostStepDecision {
  log: string[];
  conclude?: { checkRunId: number; title: string; summary: string };
}

export function postStepDecision(facts: PostStepFacts): PostStepDecision {
  const log: string[] = [];
  if (facts.runDir === undefined) log.push('spec-factory post: the main step did not start a run');
  else if (facts.checkpointExists) log.push(`spec-factory post: run directory with checkpoint at ${facts.runDir} (upload it with actions/upload-artifact, path: the run-dir output)`);
  else log.push(`spec-factory post: run directory ${facts.runDir} has no checkpoint`);
  const id = Number(facts.checkRunId);
  if (facts.checkConcluded || !/^[1-9][0-9]*$/.test(facts.checkRunId)) return { log };
  log.push(`spec-factory post: the main step ended without concluding check run ${id}; concluding it as failed`);
  const where = facts.checkpointExists ? ' Its checkpoint was saved in the run directory.' : '';
  return { log, conclude: { checkRunId: id, title: 'Factory run stopped', summary: `The factory step stopped before it could report (the runner killed it or it crashed).${where}` } };
}
