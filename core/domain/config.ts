// `.github/factory.yml` version 1 (contracts.md §7), read from the default branch only. Unknown
// keys are errors; every error names its key path and what was expected.
import { z } from 'zod';
import { CatalogFileSchema } from './catalog.ts';
import { parseYamlBounded, type YamlPosition } from './yaml.ts';

const nonEmpty = z.string().min(1);
const pathList = z.array(nonEmpty);

export const FEEDBACK_LEVELS = ['none', 'categories', 'tags'] as const;
export const ARTIFACT_KINDS = ['http', 'cli'] as const;
/** Command arguments a repository may let its writers override (contracts.md §6). */
export const OVERRIDABLE_ARGS = ['model', 'trials'] as const;

const BudgetSchema = z.strictObject({
  max_usd: z.number().positive().default(50),
  max_minutes: z.number().int().positive().default(300),
  max_rounds: z.number().int().min(1).default(3),
  /** Endurance: a token budget per run (input + output), for any model. */
  max_tokens: z.number().int().positive().optional(),
});

// ---- endurance (issue 14): the model catalog and the coding agent's session limits ----
/** `factory.catalog`: a path in the repository, or the catalog inline. */
const CatalogSettingSchema = z.union([nonEmpty, CatalogFileSchema]);

/** `factory.session`: defaults for every LLM stage; node attributes / the stylesheet override them. */
const SessionSchema = z.strictObject({
  /** Model turns per session (a thread shared by stages counts as one); 0 = unlimited. */
  max_turns: z.number().int().min(0).default(0),
  max_tool_rounds_per_input: z.number().int().min(1).default(200),
  /** Share of the model's context window at which the history is compacted. */
  compact_at: z.number().gt(0).max(1).default(0.8),
});
// ---- end endurance ----

const ThresholdsSchema = z.strictObject({
  overall: z.number().min(0).max(1).default(0.9),
  happy: z.number().min(0).max(1).optional(),
  edge: z.number().min(0).max(1).optional(),
  failure: z.number().min(0).max(1).optional(),
});

// ── twins (issue 18): third-party services as local twins, started per trial and per factory run ──
/** A twin's name: the key under `twins:`, used in scenarios' `on: { twin }` and `setup:`. */
export const TWIN_NAME = /^[a-z][a-z0-9_-]{0,39}$/;
/** `${port}` in a twin's `env` values stands for the port the twin (or its recording proxy) answers on. */
export const TWIN_PORT_PLACEHOLDER = '${port}';

export const TwinSchema = z.strictObject({
  /** Must listen on $PORT; runs like the artifact (scrubbed environment, its own process group). */
  start: nonEmpty,
  health: z.strictObject({
    path: nonEmpty.default('/healthz'),
    timeout_s: z.number().positive().default(30),
  }).prefault({}),
  /** Given to the artifact (validation) and to tool stages and the agents' shell (factory run). */
  env: z.record(
    z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name').refine((name) => name !== 'PORT', 'a name other than PORT (the artifact\'s own port)'),
    z.string(),
  ).default({}),
  /** JSON keys `factory twins check` ignores at any depth (ids, timestamps). */
  volatile: z.array(nonEmpty).default([]),
});

export type TwinConfig = z.output<typeof TwinSchema>;

const TwinsSchema = z.record(z.string().regex(TWIN_NAME, 'a twin name (a-z, 0-9, _ and -, starting with a letter)'), TwinSchema).default({});
// ── end of twins ──

export const FactoryConfigSchema = z.strictObject({
  version: z.literal(1),
  spec: z.strictObject({
    paths: pathList.min(1).default(['spec/**']),
    ready: pathList.default([]),
  }).prefault({}),
  factory: z.strictObject({
    graph: nonEmpty.optional(),
    models: nonEmpty.optional(),
    protected_paths: pathList.default(['spec/**', 'factory/**', '.github/**', 'CODEOWNERS']),
    check_command: nonEmpty.optional(),
    branch_prefix: nonEmpty.default('factory/'),
    budget: BudgetSchema.prefault({}),
    catalog: CatalogSettingSchema.optional(),
    session: SessionSchema.prefault({}),
  }).prefault({}),
  artifact: z.strictObject({
    kind: z.enum(ARTIFACT_KINDS).default('http'),
    build: nonEmpty.optional(),
    start: nonEmpty.optional(),
    health: z.strictObject({
      path: nonEmpty.default('/healthz'),
      timeout_s: z.number().positive().default(60),
    }).prefault({}),
  }).prefault({}),
  validation: z.strictObject({
    scenarios_repo: z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'owner/name').optional(),
    scenarios_path: nonEmpty.default('scenarios/'),
    trials: z.number().int().min(1).default(3),
    concurrency: z.number().int().min(1).default(8),
    thresholds: ThresholdsSchema.prefault({}),
    confidence: z.number().gt(0).lt(1).default(0.95),
    model: nonEmpty.optional(),
    // --- tiered judging (issue 15) ---
    /** The first model judges every trial; failing, uncertain and a seeded sample of the rest go to escalate_to. */
    judge: z.strictObject({
      model: nonEmpty.optional(),
      escalate_to: nonEmpty.optional(),
      escalate_when: z.array(z.enum(['fail', 'uncertain'])).default(['fail', 'uncertain']),
      sample: z.number().min(0).max(1).default(0.1),
    }).optional(),
  }).prefault({}),
  feedback: z.strictObject({
    level: z.enum(FEEDBACK_LEVELS).default('categories'),
    /** Failure tags scenarios may carry; only these are counted in feedback. */
    tags: z.array(nonEmpty).default([]),
  }).prefault({}),
  // ── interactive shift (issue 19): the spec-readiness review and drift replay ──
  review: z.strictObject({
    /** Spec PRs get a readiness review (a `review.yml` dispatch). */
    enabled: z.boolean().default(false),
    /** The critics: one review per model (`provider/model` or `scripted:<file>`), findings merged. */
    models: z.array(nonEmpty).default([]),
    max_usd: z.number().positive().default(2),
    /** A merged spec whose last review had a blocking finding starts no run (`/factory run force=true` overrides). */
    required: z.boolean().default(false),
  }).prefault({}),
  drift: z.strictObject({
    /** The deployment the `production_safe` scenarios are replayed against. */
    target_url: z.string().regex(/^https?:\/\/[^\s]+$/, 'an http(s) URL').optional(),
    /** For people: how often the drift workflow's schedule runs (the cron lives in the workflow). */
    schedule_hint: nonEmpty.optional(),
    /** A replay whose satisfaction lower bound falls below this opens the `factory/drift` issue. */
    threshold: z.number().min(0).max(1).default(0.9),
  }).prefault({}),
  // ── end interactive shift ──
  commands: z.strictObject({
    /** Bot logins (e.g. `renovate[bot]`) whose `/factory` comments are obeyed; others are ignored. */
    bots: z.array(nonEmpty).default([]),
    /** Arguments writers may set on `/factory` commands. */
    overrides: z.array(z.enum(OVERRIDABLE_ARGS)).default([]),
  }).prefault({}),
  twins: TwinsSchema,
});

export type FactoryConfig = z.output<typeof FactoryConfigSchema>;

export const CONFIG_PATH = '.github/factory.yml';

export interface ConfigIssue {
  /** Dotted key path (`factory.budget.max_rounds`), or `` for the document itself. */
  path: string;
  /** What the key must hold, in words. */
  expected: string;
  /** Where the YAML itself is broken. */
  line?: number;
  column?: number;
}

export type ConfigResult =
  | { ok: true; config: FactoryConfig }
  | { ok: false; issues: ConfigIssue[] };

function keyPath(path: readonly PropertyKey[]): string {
  return path.map((part) => (typeof part === 'number' ? `[${part}]` : String(part)))
    .join('.').replace(/\.\[/g, '[');
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `${issue.expected}${issue.input === undefined ? ' (the key is missing)' : ''}`;
    case 'invalid_value':
      return `one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
    case 'too_small':
      return issue.origin === 'array' ? `a list with at least ${String(issue.minimum)} item(s)`
        : issue.origin === 'string' ? 'a non-empty string'
        : `a number ${issue.inclusive ? '≥' : '>'} ${String(issue.minimum)}`;
    case 'too_big':
      return `a number ${issue.inclusive ? '≤' : '<'} ${String(issue.maximum)}`;
    case 'invalid_format':
      return `a string in the form ${issue.message ?? issue.format}`;
    default:
      return issue.message;
  }
}

/** Where a key path sits in the source text, when the caller knows (YAML documents do). */
export type Locate = (path: readonly PropertyKey[]) => YamlPosition | undefined;

export function configIssuesFromZod(error: z.ZodError, locate: Locate = () => undefined): ConfigIssue[] {
  const at = (path: readonly PropertyKey[]) => {
    const position = locate(path);
    return position ? { line: position.line, column: position.column } : {};
  };
  return error.issues.flatMap((issue): ConfigIssue[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: keyPath([...issue.path, key]),
        expected: `no such key (unknown keys are errors; remove \`${key}\`)`,
        ...at([...issue.path, key]),
      }));
    }
    return [{ path: keyPath(issue.path), expected: describeIssue(issue), ...at(issue.path) }];
  });
}

/** Validates an already-parsed document. */
export function validateFactoryConfig(document: unknown, locate?: Locate): ConfigResult {
  const result = FactoryConfigSchema.safeParse(document, { reportInput: true });
  if (result.success) return { ok: true, config: result.data };
  return { ok: false, issues: configIssuesFromZod(result.error, locate) };
}

/** Parses the YAML text of `.github/factory.yml` (size and alias limits: ./yaml.ts); never throws. */
export function parseFactoryConfig(text: string): ConfigResult {
  const parsed = parseYamlBounded(text);
  if (!parsed.ok) {
    const { message, line, column } = parsed.problem;
    return { ok: false, issues: [{ path: '', expected: `valid YAML (${message})`, ...(line === undefined ? {} : { line, column }) }] };
  }
  const document = parsed.value;
  if (document === null || document === undefined) {
    return { ok: false, issues: [{ path: '', expected: 'a mapping with `version: 1` (the file is empty)' }] };
  }
  return validateFactoryConfig(document, (path) => parsed.locate(path));
}

export function formatConfigIssue(issue: ConfigIssue, file = CONFIG_PATH): string {
  const where = issue.line === undefined ? file : `${file}:${issue.line}:${issue.column ?? 1}`;
  const key = issue.path === '' ? '' : ` \`${issue.path}\``;
  return `${where}:${key} expected ${issue.expected}`;
}

export function formatConfigIssues(issues: readonly ConfigIssue[], file = CONFIG_PATH): string {
  return issues.map((issue) => `- ${formatConfigIssue(issue, file)}`).join('\n');
}

/** The config used when a repository has no `.github/factory.yml`: none; the App refuses to run. */
export const MISSING_CONFIG_ISSUE: ConfigIssue = {
  path: '',
  expected: `a \`${CONFIG_PATH}\` file on the default branch with \`version: 1\``,
};
