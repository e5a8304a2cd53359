// What the App reads from each webhook payload, as zod schemas: `@octokit/webhooks` types describe
// GitHub's deliveries but validate nothing, and a signed delivery with a missing or mistyped field
// must not become an HTTP 500 or a request such as `POST /repos/o/r/issues//comments`. Only the
// fields the handlers read are checked (loose objects: GitHub adds fields all the time).
import { z } from 'zod';

const name = z.string().min(1).max(255).regex(/^[^/\s]+$/, 'a name without slashes or spaces');
const positiveId = z.number().int().positive();
const sha = z.string().regex(/^[0-9a-f]{40}$/, 'a 40-character commit sha');
const nonEmpty = z.string().min(1);
const paths = z.array(z.string()).optional();

const Installation = z.looseObject({ id: positiveId });
const Repository = z.looseObject({
  name,
  owner: z.looseObject({ login: name }),
  full_name: z.string().regex(/^[^/\s]+\/[^/\s]+$/, 'owner/name'),
  default_branch: nonEmpty,
});
const User = z.looseObject({ login: name, type: z.string() });

const base = { installation: Installation, repository: Repository };

export const PushPayloadSchema = z.looseObject({
  ...base,
  ref: nonEmpty,
  before: sha,
  after: sha,
  forced: z.boolean(),
  deleted: z.boolean(),
  commits: z.array(z.looseObject({ added: paths, modified: paths, removed: paths })),
});

const PullRef = z.looseObject({
  ref: nonEmpty,
  sha,
  repo: z.looseObject({ full_name: nonEmpty }).nullable(),
});

export const PullRequestPayloadSchema = z.looseObject({
  ...base,
  action: z.enum(['opened', 'synchronize', 'reopened']),
  before: sha.optional(),
  pull_request: z.looseObject({
    number: positiveId,
    head: PullRef,
    base: z.looseObject({ ref: nonEmpty, sha, repo: z.looseObject({ full_name: nonEmpty }) }),
  }),
});

export const IssueCommentPayloadSchema = z.looseObject({
  ...base,
  comment: z.looseObject({ id: positiveId, body: z.string(), user: User.nullable() }),
  issue: z.looseObject({ number: positiveId, pull_request: z.looseObject({}).optional().nullable() }),
  sender: User,
});

const CheckRun = z.looseObject({
  id: positiveId,
  name: nonEmpty,
  head_sha: sha,
  status: z.string(),
  conclusion: z.string().nullable(),
  external_id: z.string().nullable(),
  output: z.looseObject({ summary: z.string().nullable().optional(), text: z.string().nullable().optional() }),
  app: z.looseObject({ id: positiveId }).nullable(),
});

export const CheckRunPayloadSchema = z.looseObject({
  ...base,
  action: z.enum(['rerequested', 'requested_action', 'completed']),
  check_run: CheckRun,
  requested_action: z.looseObject({ identifier: z.string() }).nullable().optional(),
});

export const WorkflowRunPayloadSchema = z.looseObject({
  ...base,
  workflow_run: z.looseObject({
    id: positiveId,
    path: nonEmpty,
    head_sha: sha,
    conclusion: z.string().nullable(),
    html_url: z.url(),
  }),
});

/** The schema of each event the App handles (`SUBSCRIBED_EVENTS`). */
export const PAYLOAD_SCHEMAS = {
  push: PushPayloadSchema,
  pull_request: PullRequestPayloadSchema,
  issue_comment: IssueCommentPayloadSchema,
  check_run: CheckRunPayloadSchema,
  workflow_run: WorkflowRunPayloadSchema,
} as const;

export type HandledEvent = keyof typeof PAYLOAD_SCHEMAS;

/** Where a payload does not fit, as `path: message` lines (at most five): what the log says, never the values. */
export function payloadProblems(event: HandledEvent, payload: unknown): string[] {
  const result = PAYLOAD_SCHEMAS[event].safeParse(payload);
  if (result.success) return [];
  return result.error.issues.slice(0, 5).map((issue) => `${issue.path.map(String).join('.') || '(payload)'}: ${issue.message}`);
}
