// The judge: a separate model call with no tools. It reads the scenario (story, steps, expected,
// criteria), the trial's variations, the recorded interactions and the check results, and returns
// a verdict per rubric criterion, validated with zod. An unusable verdict is a harness error.
import { z } from 'zod';
import type { LlmProvider, StructuredOutput, Usage } from '../agent/llm/types.ts';
import type { Scenario } from '../domain/scenario.ts';
import type { CheckResult, Interaction, JudgeVerdict, TwinExchange, VariationValue } from './types.ts';

/** The rubric passes when the passed criteria carry at least this share of the total weight. */
export const RUBRIC_PASS_SHARE = 0.75;

export const JUDGE_SYSTEM = [
  'You are a strict judge of a software acceptance scenario. You cannot run anything.',
  'Decide each criterion from the recorded interactions only; unverifiable claims fail.',
  'Set uncertain to true when the record does not let you decide with confidence.',
  'Answer with JSON only: {"criteria":[{"id":"<criterion id>","pass":true|false,"reasoning":"<one or two sentences>"}],"uncertain":true|false} with one entry per criterion.',
].join(' ');

export const VerdictSchema = z.object({
  criteria: z.array(z.object({ id: z.string().min(1), pass: z.boolean(), reasoning: z.string().default('') })).min(1),
  uncertain: z.boolean().default(false),
});

/** The verdict's shape for the providers' structured output: strict, every property required. */
const VerdictWireSchema = z.strictObject({
  criteria: z.array(z.strictObject({ id: z.string(), pass: z.boolean(), reasoning: z.string() })),
  uncertain: z.boolean(),
});

export const VERDICT_FORMAT: StructuredOutput = {
  name: 'verdict',
  description: 'The verdict on every rubric criterion of the scenario',
  schema: (() => {
    const schema = z.toJSONSchema(VerdictWireSchema, { target: 'draft-7' }) as Record<string, unknown>;
    delete schema.$schema;
    return schema;
  })(),
};

export class JudgeError extends Error {}

export interface JudgeInput {
  scenario: Scenario;
  variations: Readonly<Record<string, VariationValue>>;
  interactions: readonly Interaction[];
  /** What the artifact sent its twins (third-party services) during the trial. */
  twinTraffic?: readonly TwinExchange[];
  checks: readonly CheckResult[];
  agentSummary: string;
}

export function judgePrompt(input: JudgeInput): string {
  const { scenario } = input;
  const criteria = scenario.rubric.map((criterion) => `- ${criterion.id} (weight ${criterion.weight}): ${scenario.criteria[criterion.id] ?? ''}`);
  return [
    `# Scenario: ${scenario.title}`,
    '## Story', scenario.story,
    '## Steps', scenario.steps,
    '## Expected', scenario.expected,
    '## Criteria', ...criteria,
    '## Variations', JSON.stringify(input.variations),
    '## Recorded interactions', JSON.stringify(input.interactions, null, 1),
    ...(input.twinTraffic ? ['## Requests the application sent to third-party services (twins)', JSON.stringify(input.twinTraffic, null, 1)] : []),
    '## Deterministic checks', JSON.stringify(input.checks),
    '## Agent\'s account', input.agentSummary || '(none)',
  ].join('\n\n');
}

/** The first JSON object in the text (a fenced block or bare). */
export function extractJson(text: string): unknown {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(text);
  const candidate = fenced ? fenced[1]! : text;
  const start = candidate.indexOf('{');
  const end = candidate.lastIndexOf('}');
  if (start < 0 || end < start) throw new JudgeError('the judge answered without a JSON object');
  try {
    return JSON.parse(candidate.slice(start, end + 1));
  } catch {
    throw new JudgeError('the judge answered with malformed JSON');
  }
}

/** Scores a parsed verdict against the rubric; a criterion missing from the verdict is an error. */
export function scoreVerdict(scenario: Scenario, value: unknown): JudgeVerdict {
  const parsed = VerdictSchema.safeParse(value);
  if (!parsed.success) throw new JudgeError(`the judge's verdict is invalid: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  const byId = new Map(parsed.data.criteria.map((criterion) => [criterion.id, criterion]));
  const missing = scenario.rubric.filter((criterion) => !byId.has(criterion.id)).map((criterion) => criterion.id);
  if (missing.length > 0) throw new JudgeError(`the judge's verdict lacks ${missing.length} criterion verdict(s)`);
  const criteria = scenario.rubric.map((criterion) => byId.get(criterion.id)!);
  const total = scenario.rubric.reduce((sum, criterion) => sum + criterion.weight, 0);
  const passed = scenario.rubric.reduce((sum, criterion) => sum + (byId.get(criterion.id)!.pass ? criterion.weight : 0), 0);
  const score = total > 0 ? passed / total : 0;
  return { criteria, score, pass: score >= RUBRIC_PASS_SHARE - 1e-12, ...(parsed.data.uncertain ? { uncertain: true } : {}) };
}

export interface JudgeOptions {
  provider: LlmProvider;
  model: string;
  stage: string;
  signal?: AbortSignal;
}

/** One judge call: the scored verdict and what the call used, for the tiers' cost. */
export interface JudgeCall {
  verdict: JudgeVerdict;
  usage: Usage;
  provider: string;
  model: string;
}

/**
 * Asks for the verdict in the provider's structured output (VERDICT_FORMAT) and validates it with
 * zod; only a provider without structured output (OpenAI-compatible servers, the scripted model)
 * answers in text, from which the JSON object is parsed.
 */
export async function judgeOnce(input: JudgeInput, options: JudgeOptions): Promise<JudgeCall> {
  const response = await options.provider.complete({
    model: options.model,
    system: JUDGE_SYSTEM,
    messages: [{ role: 'user', content: [{ type: 'text', text: judgePrompt(input) }] }],
    tools: [],
    stage: options.stage,
    response_format: VERDICT_FORMAT,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const text = response.message.content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('');
  const value = response.structured !== undefined ? response.structured : extractJson(text);
  return { verdict: scoreVerdict(input.scenario, value), usage: response.usage, provider: response.provider, model: response.model };
}

export async function judgeTrial(input: JudgeInput, options: JudgeOptions): Promise<JudgeVerdict> {
  return (await judgeOnce(input, options)).verdict;
}
