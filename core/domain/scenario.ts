// Holdout scenario file (contracts.md §8): YAML frontmatter, then the body sections `## Story`,
// `## Steps`, `## Expected`, `## Judge criteria`. Pure: text in, a validated scenario or a list of
// located issues out. Unknown frontmatter keys are errors, like the config's.
import { z } from 'zod';
import { configIssuesFromZod } from './config.ts';
import { parseYamlBounded } from './yaml.ts';

export const SCENARIO_CATEGORIES = ['happy', 'edge', 'failure'] as const;
export const CRITICALITIES = ['critical', 'high', 'normal', 'low'] as const;
export const SCENARIO_SECTIONS = ['Story', 'Steps', 'Expected', 'Judge criteria'] as const;

export type ScenarioCategory = (typeof SCENARIO_CATEGORIES)[number];
export type Criticality = (typeof CRITICALITIES)[number];

const nonEmpty = z.string().min(1);
const identifier = z.string().regex(/^[A-Za-z0-9][\w.-]{0,79}$/, 'an id (letters, digits, _ . -)');
const tagName = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'a tag name (a-z, 0-9, _ and -)');
const scalar = z.union([z.string(), z.number(), z.boolean()]);

/** Which recorded interaction a check looks at: the last one matching, or the last one at all. */
const SelectorSchema = z.strictObject({
  method: z.string().regex(/^[A-Za-z]+$/, 'an HTTP method').optional(),
  /** HTTP: the request path (without query) equals this. */
  path: nonEmpty.optional(),
  /** CLI: the step's first argument equals this. */
  arg: z.string().optional(),
  /** Twin checks: the twin (a key of the config's `twins`) the request went to. */
  twin: identifier.optional(),
});

const TextMatchSchema = z.strictObject({
  equals: z.string().optional(),
  contains: z.string().optional(),
  not_contains: z.string().optional(),
  matches: z.string().optional(),
}).refine((match) => Object.values(match).some((value) => value !== undefined), 'at least one of equals, contains, not_contains, matches');

const count = z.number().int().min(0);
/** How many matching requests reached the twin: exactly `count`, at least `min`, at most `max`. */
const TwinCountSchema = z.strictObject({ count: count.optional(), min: count.optional(), max: count.optional() })
  .refine((value) => value.count !== undefined || value.min !== undefined || value.max !== undefined, 'at least one of count, min, max');

/** A request sent straight to a twin before the trial (not recorded as the artifact's traffic). */
export const SetupRequestSchema = z.strictObject({
  twin: identifier,
  method: z.string().regex(/^[A-Za-z]+$/, 'an HTTP method').default('POST'),
  path: z.string().regex(/^\/(?!\/)/, 'a path starting with /'),
  headers: z.record(z.string(), z.string()).optional(),
  /** A string is sent as is; anything else as JSON. `{{name}}` takes the trial's variation values. */
  body: z.unknown().optional(),
});

export type SetupRequest = z.output<typeof SetupRequestSchema>;

const checkBase = {
  id: identifier.optional(),
  /** A failed `must` check makes the trial unsatisfied; others are advisory (reported only). */
  must: z.boolean().default(true),
  on: SelectorSchema.optional(),
};

const CHECK_BRANCHES = {
  status: z.strictObject({ ...checkBase, status: z.union([z.number().int().min(100).max(599), z.array(z.number().int().min(100).max(599)).min(1)]) }),
  header: z.strictObject({ ...checkBase, header: z.strictObject({ name: nonEmpty, equals: z.string().optional(), contains: z.string().optional(), present: z.boolean().optional() }) }),
  json: z.strictObject({ ...checkBase, json: z.strictObject({ path: nonEmpty, equals: z.unknown().optional(), exists: z.boolean().optional(), contains: z.string().optional() }) }),
  exit_code: z.strictObject({ ...checkBase, exit_code: z.number().int().min(0).max(255) }),
  stdout: z.strictObject({ ...checkBase, stdout: TextMatchSchema }),
  // Twins (issue 18): over the requests the artifact sent to its twins, selected by `on: { twin, method, path }`.
  twin_requests: z.strictObject({ ...checkBase, twin_requests: TwinCountSchema }),
  twin_json: z.strictObject({ ...checkBase, twin_json: z.strictObject({ path: nonEmpty, equals: z.unknown().optional(), exists: z.boolean().optional(), contains: z.string().optional() }) }),
};
const CHECK_KINDS = Object.keys(CHECK_BRANCHES) as Array<keyof typeof CHECK_BRANCHES>;

/** One check; inside a scenario, `checkWithBranch` reports errors against the branch its keys select. */
export const CheckSchema = z.union([CHECK_BRANCHES.status, CHECK_BRANCHES.header, CHECK_BRANCHES.json, CHECK_BRANCHES.exit_code, CHECK_BRANCHES.stdout, CHECK_BRANCHES.twin_requests, CHECK_BRANCHES.twin_json]);

/**
 * The kind is the one key of status, header, json, exit_code, stdout, twin_requests, twin_json a check holds; its errors are
 * those of that kind's schema (a plain union would only say "invalid input").
 */
function checkWithBranch(value: unknown, context: z.core.$RefinementCtx): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    context.addIssue({ code: 'custom', message: `a mapping with one of ${CHECK_KINDS.join(', ')}` });
    return;
  }
  const kinds = CHECK_KINDS.filter((kind) => kind in value);
  if (kinds.length !== 1) {
    context.addIssue({ code: 'custom', message: `exactly one of ${CHECK_KINDS.join(', ')} (found ${kinds.length === 0 ? 'none' : kinds.join(', ')})` });
    return;
  }
  const result = CHECK_BRANCHES[kinds[0]!].safeParse(value, { reportInput: true });
  if (!result.success) for (const issue of result.error.issues) context.addIssue(issue as never);
}

export type ScenarioCheck = z.output<typeof CheckSchema>;

export const RubricCriterionSchema = z.strictObject({
  id: identifier,
  weight: z.number().positive().default(1),
});

export const ScenarioFrontmatterSchema = z.strictObject({
  id: identifier,
  title: nonEmpty,
  category: z.enum(SCENARIO_CATEGORIES),
  criticality: z.enum(CRITICALITIES).default('normal'),
  /** May only tighten: the effective count is the larger of this and the configured trials. */
  trials: z.number().int().min(1).max(100).optional(),
  /** Named values; each trial draws one value per name (seeded). */
  variations: z.record(identifier, z.array(scalar).min(1)).default({}),
  checks: z.array(z.unknown().superRefine(checkWithBranch).pipe(CheckSchema)).default([]),
  rubric: z.array(RubricCriterionSchema).min(1),
  /** Requests sent to twins before the agent starts (seeding their state). */
  setup: z.array(SetupRequestSchema).default([]),
  feedback_tags: z.array(tagName).default([]),
  /** Safe to replay against the deployed service (drift replay): reads only, or writes it cleans up. */
  production_safe: z.boolean().default(false),
});

export type ScenarioFrontmatter = z.output<typeof ScenarioFrontmatterSchema>;

export interface Scenario extends ScenarioFrontmatter {
  story: string;
  steps: string;
  expected: string;
  /** The text of each rubric criterion, by id, from `## Judge criteria`. */
  criteria: Record<string, string>;
}

export interface ScenarioIssue {
  /** Frontmatter key path (`checks[1].status`), `body` sections as `## Steps`, or `` for the file. */
  field: string;
  expected: string;
  line?: number;
  column?: number;
}

export type ScenarioParseResult = { ok: true; scenario: Scenario } | { ok: false; issues: ScenarioIssue[] };

const FRONTMATTER = /^---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;

function splitSections(body: string): Map<string, string> {
  const sections = new Map<string, string>();
  let current: string | undefined;
  let lines: string[] = [];
  const flush = (): void => {
    if (current !== undefined) sections.set(current, lines.join('\n').trim());
  };
  for (const line of body.split(/\r?\n/)) {
    const heading = /^##[ \t]+(.+?)[ \t]*$/.exec(line);
    if (heading) {
      flush();
      current = heading[1]!;
      lines = [];
    } else {
      lines.push(line);
    }
  }
  flush();
  return sections;
}

/** `- id: text` or `- **id**: text` bullets; continuation lines join the previous criterion. */
function parseCriteria(text: string): Record<string, string> {
  const criteria: Record<string, string> = {};
  let last: string | undefined;
  for (const line of text.split('\n')) {
    const bullet = /^\s*[-*][ \t]+(?:\*\*|`)?([A-Za-z0-9][\w.-]*)(?:\*\*|`)?[ \t]*:[ \t]*(.*)$/.exec(line);
    if (bullet) {
      last = bullet[1]!;
      criteria[last] = bullet[2]!.trim();
    } else if (last !== undefined && line.trim() !== '') {
      criteria[last] = `${criteria[last]} ${line.trim()}`.trim();
    }
  }
  return criteria;
}

/** Parses one scenario file's text; never throws. */
export function parseScenario(text: string): ScenarioParseResult {
  const match = FRONTMATTER.exec(text);
  if (!match) return { ok: false, issues: [{ field: '', expected: 'YAML frontmatter between `---` lines at the top of the file', line: 1 }] };
  // The frontmatter starts on line 2 of the file (after the opening `---`).
  const frontmatter = parseYamlBounded(match[1]!);
  if (!frontmatter.ok) {
    const { message, line, column } = frontmatter.problem;
    return { ok: false, issues: [{ field: '', expected: `valid YAML frontmatter (${message})`, ...(line === undefined ? {} : { line: line + 1, column }) }] };
  }
  const document = frontmatter.value;
  const issues: ScenarioIssue[] = [];
  // reportInput: a wrong type is then told apart from a missing key in the messages.
  const parsed = ScenarioFrontmatterSchema.safeParse(document ?? {}, { reportInput: true });
  if (!parsed.success) {
    const locate = (path: readonly PropertyKey[]) => {
      const position = frontmatter.locate(path);
      return position && { line: position.line + 1, column: position.column };
    };
    for (const issue of configIssuesFromZod(parsed.error, locate)) {
      issues.push({ field: issue.path, expected: issue.expected, ...(issue.line === undefined ? {} : { line: issue.line, column: issue.column }) });
    }
  }
  const sections = splitSections(text.slice(match[0].length));
  for (const name of SCENARIO_SECTIONS) {
    if (!sections.get(name)) issues.push({ field: `## ${name}`, expected: `a non-empty \`## ${name}\` section` });
  }
  for (const name of sections.keys()) {
    if (!(SCENARIO_SECTIONS as readonly string[]).includes(name)) issues.push({ field: `## ${name}`, expected: `only the sections ${SCENARIO_SECTIONS.map((s) => `## ${s}`).join(', ')}` });
  }
  const criteria = parseCriteria(sections.get('Judge criteria') ?? '');
  if (parsed.success) {
    const ids = parsed.data.rubric.map((criterion) => criterion.id);
    ids.forEach((id, index) => {
      if (ids.indexOf(id) !== index) issues.push({ field: `rubric[${index}].id`, expected: `a unique criterion id (\`${id}\` repeats)` });
      if (!criteria[id]) issues.push({ field: `rubric[${index}].id`, expected: `a \`- ${id}: …\` line under \`## Judge criteria\`` });
    });
  }
  if (!parsed.success || issues.length > 0) return { ok: false, issues };
  return {
    ok: true,
    scenario: {
      ...parsed.data,
      story: sections.get('Story')!,
      steps: sections.get('Steps')!,
      expected: sections.get('Expected')!,
      criteria,
    },
  };
}

export function formatScenarioIssue(file: string, issue: ScenarioIssue): string {
  const where = issue.line === undefined ? file : `${file}:${issue.line}${issue.column === undefined ? '' : `:${issue.column}`}`;
  const field = issue.field === '' ? '' : ` \`${issue.field}\``;
  return `${where}:${field} expected ${issue.expected}`;
}
