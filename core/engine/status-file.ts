// The status-file contract (Attractor Appendix C): an agent or tool may write `status.json` in its
// stage directory to tell the engine how the stage went.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';
import { STAGE_STATUSES, type Outcome } from './outcome.ts';
import { JsonTextError, parseJsonText } from './json-text.ts';

export const STATUS_FILE_NAME = 'status.json';

export const AUTO_STATUS_NOTES = 'auto-status: handler completed without writing status';

const statusFileSchema = z
  .object({
    outcome: z.enum(STAGE_STATUSES).optional(),
    // Our own status.json files spell the field `status`; accept it from writers that copy them.
    status: z.enum(STAGE_STATUSES).optional(),
    preferred_label: z.string().optional(),
    suggested_next_ids: z.array(z.string()).optional(),
    context_updates: z.record(z.string(), z.unknown()).optional(),
    notes: z.string().optional(),
    failure_reason: z.string().optional(),
  })
  .refine((file) => file.outcome !== undefined || file.status !== undefined, {
    message: 'missing required field "outcome"',
    path: ['outcome'],
  });

export function statusFilePath(stageDir: string): string {
  return join(stageDir, STATUS_FILE_NAME);
}

/** Removes a status file left by an earlier attempt, so only this attempt's file is read. */
export function removeStaleStatusFile(stageDir: string): void {
  rmSync(statusFilePath(stageDir), { force: true });
}

/** Parses status-file text; anything that breaks the contract becomes a fail outcome naming the problem. */
export function parseStatusFile(text: string, source: string): Outcome {
  let json: unknown;
  try {
    json = parseJsonText(text, source);
  } catch (error) {
    const located = error instanceof JsonTextError && error.line !== undefined ? ` at line ${error.line}, column ${error.column}` : '';
    return invalid(source, `not valid JSON (${error instanceof JsonTextError ? error.reason : (error as Error).message}${located})`);
  }
  const parsed = statusFileSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
      return `${where}${issue.message}`;
    });
    return invalid(source, problems.join('; '));
  }
  const file = parsed.data;
  const outcome: Outcome = { status: (file.outcome ?? file.status)! };
  // Appendix C writes "no preference" as an empty label.
  if (file.preferred_label) outcome.preferred_label = file.preferred_label;
  if (file.suggested_next_ids && file.suggested_next_ids.length > 0) outcome.suggested_next_ids = file.suggested_next_ids;
  if (file.context_updates) outcome.context_updates = file.context_updates;
  if (file.notes !== undefined) outcome.notes = file.notes;
  if (file.failure_reason !== undefined) outcome.failure_reason = file.failure_reason;
  return outcome;
}

export function readStatusFile(path: string): Outcome {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return invalid(path, `cannot be read (${(error as Error).message})`);
  }
  return parseStatusFile(text, path);
}

/**
 * The outcome a stage's own writer claimed: the status file if one was written, the auto-status
 * success when the node asks for it, otherwise nothing (the handler decides).
 */
export function claimedOutcome(stageDir: string, autoStatus: boolean): Outcome | undefined {
  const path = statusFilePath(stageDir);
  if (existsSync(path)) return readStatusFile(path);
  if (autoStatus) return { status: 'success', notes: AUTO_STATUS_NOTES };
  return undefined;
}

function invalid(source: string, problem: string): Outcome {
  return { status: 'fail', failure_reason: `invalid status file ${source}: ${problem}` };
}
