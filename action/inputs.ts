// The Action's inputs (contracts.md §3) read into one typed object. Pure: the caller passes how to
// read an input, so tests and main.ts share the same checks.
import { DISPATCH_REASONS, type DispatchReason } from '../core/domain/dispatch.ts';
import { FeedbackSchema, type Feedback } from '../core/domain/feedback.ts';
import { parseShard } from '../core/validation/scheduler.ts';
import { ActionError } from './errors.ts';

export const COMMANDS = ['run', 'validate', 'aggregate', 'review', 'scenarios', 'drift'] as const;
export type ActionCommand = (typeof COMMANDS)[number];

export interface ActionInputs {
  command: ActionCommand;
  githubToken: string;
  configPath: string;
  graphPath?: string;
  specSha?: string;
  prNumber?: number;
  /** The issue a `/factory run` came from: a parked gate with no PR asks its question there. */
  issueNumber?: number;
  checkRunId?: number;
  resumeRunId?: string;
  /** Why the App dispatched the run (dispatch input `reason`). */
  reason?: DispatchReason;
  feedback?: Feedback;
  models?: string;
  maxUsd?: number;
  /** A writer's budget in place of the config's (`budget-usd`, from `/factory rerun --max-usd N`). */
  budgetUsd?: number;
  /** The choice for the human gate a resumed run is parked at (`/factory answer <key>`). */
  answer?: string;
  /** validate/aggregate: the holdout scenarios repository (owner/name), its ref, and its token. */
  scenariosRepo?: string;
  scenariosRef?: string;
  scenariosToken?: string;
  /** validate: a deterministic share of the scenarios, `i/n` (a partial result for aggregate). */
  shard?: { index: number; count: number };
  trials?: number;
  /** review/scenarios: the spec PR's base commit (its diff is what the critics and drafters look at). */
  baseSha?: string;
  /** drift: the running service to replay against, instead of the config's `drift.target_url`. */
  targetUrl?: string;
}

export type ReadInput = (name: string) => string;

function positiveInt(name: string, text: string): number {
  if (!/^[1-9][0-9]*$/.test(text)) throw new ActionError('input', `input \`${name}\`: expected a positive whole number, got "${text}"`);
  return Number(text);
}

function parseFeedbackInput(text: string): Feedback {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ActionError('input', `input \`feedback\`: expected leak-safe feedback JSON, but it is not JSON (${(error as Error).message})`);
  }
  const result = FeedbackSchema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : '(top level)';
    throw new ActionError('input', `input \`feedback\`: ${path}: ${issue?.message ?? 'not a leak-safe feedback block'}`);
  }
  return result.data;
}

export function readInputs(read: ReadInput): ActionInputs {
  const text = (name: string) => read(name).trim();
  const command = text('command') || 'run';
  if (!(COMMANDS as readonly string[]).includes(command)) {
    throw new ActionError('input', `input \`command\`: expected one of ${COMMANDS.join(', ')}, got "${command}"`);
  }
  const inputs: ActionInputs = {
    command: command as ActionCommand,
    githubToken: text('github-token'),
    configPath: text('config') || '.github/factory.yml',
  };
  const optional = (name: string): string | undefined => text(name) || undefined;
  const graph = optional('graph');
  if (graph !== undefined) inputs.graphPath = graph;
  const specSha = optional('spec-sha');
  if (specSha !== undefined) {
    if (!/^[0-9a-f]{40}$/.test(specSha)) throw new ActionError('input', `input \`spec-sha\`: expected a full 40-character commit sha, got "${specSha}"`);
    inputs.specSha = specSha;
  }
  const pr = optional('pr-number');
  if (pr !== undefined) inputs.prNumber = positiveInt('pr-number', pr);
  const issue = optional('issue-number');
  if (issue !== undefined) inputs.issueNumber = positiveInt('issue-number', issue);
  const check = optional('check-run-id');
  if (check !== undefined) inputs.checkRunId = positiveInt('check-run-id', check);
  const resume = optional('resume-run-id');
  if (resume !== undefined) inputs.resumeRunId = String(positiveInt('resume-run-id', resume));
  const reason = optional('reason');
  if (reason !== undefined) {
    if (!(DISPATCH_REASONS as readonly string[]).includes(reason)) throw new ActionError('input', `input \`reason\`: expected one of ${DISPATCH_REASONS.join(', ')}, got "${reason.slice(0, 40)}"`);
    inputs.reason = reason as DispatchReason;
  }
  const feedback = optional('feedback');
  if (feedback !== undefined) inputs.feedback = parseFeedbackInput(feedback);
  const models = optional('models');
  if (models !== undefined) inputs.models = models;
  const maxUsd = optional('max-usd');
  if (maxUsd !== undefined) {
    const value = Number(maxUsd);
    if (!Number.isFinite(value) || value <= 0) throw new ActionError('input', `input \`max-usd\`: expected a positive number, got "${maxUsd}"`);
    inputs.maxUsd = value;
  }
  const budgetUsd = optional('budget-usd');
  if (budgetUsd !== undefined) {
    const value = Number(budgetUsd);
    if (!Number.isFinite(value) || value <= 0) throw new ActionError('input', `input \`budget-usd\`: expected a positive number, got "${budgetUsd.slice(0, 40)}"`);
    inputs.budgetUsd = value;
  }
  const answer = optional('answer');
  if (answer !== undefined) {
    if (!/^[\w.-]{1,40}$/.test(answer)) throw new ActionError('input', `input \`answer\`: expected a gate choice key (letters, digits, ._-, at most 40), got "${answer.slice(0, 40)}"`);
    if (inputs.resumeRunId === undefined) throw new ActionError('input', 'input `answer`: only meaningful with `resume-run-id` (the run parked at the gate)');
    inputs.answer = answer;
  }
  const scenariosRepo = optional('scenarios-repo');
  if (scenariosRepo !== undefined) {
    if (!/^[\w.-]+\/[\w.-]+$/.test(scenariosRepo)) throw new ActionError('input', `input \`scenarios-repo\`: expected owner/name, got "${scenariosRepo.slice(0, 100)}"`);
    inputs.scenariosRepo = scenariosRepo;
  }
  const scenariosRef = optional('scenarios-ref');
  if (scenariosRef !== undefined) inputs.scenariosRef = scenariosRef;
  const scenariosToken = optional('scenarios-token');
  if (scenariosToken !== undefined) inputs.scenariosToken = scenariosToken;
  const shard = optional('shard');
  if (shard !== undefined) {
    const parsed = parseShard(shard);
    if (!parsed) throw new ActionError('input', `input \`shard\`: expected i/n with 1 ≤ i ≤ n ≤ 1000, got "${shard.slice(0, 40)}"`);
    inputs.shard = parsed;
  }
  const trials = optional('trials');
  if (trials !== undefined) inputs.trials = positiveInt('trials', trials);
  const baseSha = optional('base-sha');
  if (baseSha !== undefined) {
    if (!/^[0-9a-f]{40}$/.test(baseSha)) throw new ActionError('input', `input \`base-sha\`: expected a full 40-character commit sha, got "${baseSha.slice(0, 40)}"`);
    inputs.baseSha = baseSha;
  }
  const targetUrl = optional('target-url');
  if (targetUrl !== undefined) {
    if (!/^https?:\/\/\S+$/.test(targetUrl)) throw new ActionError('input', `input \`target-url\`: expected an http(s) URL, got "${targetUrl.slice(0, 100)}"`);
    inputs.targetUrl = targetUrl;
  }
  return inputs;
}
