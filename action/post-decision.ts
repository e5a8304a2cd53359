// What the post step does, decided from what the main step left behind. Pure.
export interface PostStepFacts {
  /** The `command` input ('' is `run`). */
  command: string;
  runDir?: string;
  checkpointExists: boolean;
  checkConcluded: boolean;
  /** The raw `check-run-id` input. */
  checkRunId: string;
  /** The run artifact's name (runArtifactName), when GITHUB_RUN_ID is known. */
  artifactName?: string;
}

export interface PostStepDecision {
  log: string[];
  /** The run directory to upload: whenever it holds a checkpoint, a resume can continue from it. */
  upload?: { name: string; runDir: string };
  conclude?: { checkRunId: number; title: string; summary: string };
}

export function postStepDecision(facts: PostStepFacts): PostStepDecision {
  const log: string[] = [];
  let upload: PostStepDecision['upload'];
  if (facts.runDir === undefined) log.push('spec-factory post: the main step did not start a run');
  else if (!facts.checkpointExists) log.push(`spec-factory post: run directory ${facts.runDir} has no checkpoint; nothing to upload`);
  else if (facts.artifactName === undefined) log.push(`spec-factory post: run directory with checkpoint at ${facts.runDir}; not uploaded: GITHUB_RUN_ID is not set`);
  else {
    upload = { name: facts.artifactName, runDir: facts.runDir };
    log.push(`spec-factory post: uploading run directory ${facts.runDir} as artifact ${facts.artifactName}`);
  }
  const withUpload = upload ? { upload } : {};
  const id = Number(facts.checkRunId);
  if (facts.checkConcluded || !/^[1-9][0-9]*$/.test(facts.checkRunId)) return { log, ...withUpload };
  // Only `run` records that it concluded its check. validate and aggregate conclude theirs (or leave
  // a shard's to aggregate); a check a dead validation job left open is closed by the App's
  // workflow_run sweep, never here, where it would overwrite the verdict.
  if ((facts.command || 'run') !== 'run') return { log, ...withUpload };
  log.push(`spec-factory post: the main step ended without concluding check run ${id}; concluding it as failed`);
  return { log, ...withUpload, conclude: { checkRunId: id, title: 'Factory run stopped', summary: 'The factory step stopped before it could report (the runner killed it or it crashed).' } };
}

/** Added to the stopped check's summary once the upload has succeeded. */
export function uploadedNote(name: string): string {
  return ` Its checkpoint is in the workflow run's artifact \`${name}\`; \`/factory resume\` continues from it.`;
}
