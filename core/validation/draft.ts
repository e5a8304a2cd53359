// Drafted holdout scenarios (interactive shift): a spec-refinement agent reads the spec (and the
// change under review) and drafts happy, edge and failure scenarios in the scenario format. Each
// draft is rendered to a scenario file and kept only when it parses with the project's own
// scenario schema; the coverage table says which spec statements each draft covers and which no
// draft covers. Holdouts side only: nothing here is meant for the product repository.
import { stringify } from 'yaml';
import { z } from 'zod';
import type { LlmProvider, Usage } from '../agent/llm/types.ts';
import type { SpecFile } from '../agent/review/prompt.ts';
import { numbered } from '../agent/review/prompt.ts';
import { addedLines } from '../domain/diff-lines.ts';
import { parseScenario, SCENARIO_CATEGORIES, type ScenarioIssue } from '../domain/scenario.ts';

export interface SpecStatement {
  id: string;
  file: string;
  line: number;
  text: string;
}

/** Statements: the non-heading, non-fence, non-table-rule lines of the spec's Markdown files (only the added ones when a diff is given). */
export function specStatements(files: readonly SpecFile[], diff = ''): SpecStatement[] {
  const added = diff.trim() === '' ? null : addedLines(diff);
  const statements: SpecStatement[] = [];
  for (const file of files) {
    if (!file.path.endsWith('.md')) continue;
    let fenced = false;
    file.text.split('\n').forEach((raw, index) => {
      const text = raw.trim();
      if (text.startsWith('```')) fenced = !fenced;
      if (fenced || text.startsWith('```') || text.length < 8 || text.startsWith('#') || /^\|?[\s:|-]+\|?$/.test(text)) return;
      if (added && !added.get(file.path)?.has(index + 1)) return;
      statements.push({ id: `S${statements.length + 1}`, file: file.path, line: index + 1, text });
    });
  }
  return statements;
}

export const DRAFT_SYSTEM = [
  'You are a spec-refinement agent drafting holdout acceptance scenarios for a service from its specification.',
  'You see only the specification; you never see code. Draft black-box scenarios an outside tester can run: happy paths, edge cases and failures.',
  'Cover the numbered statements you are given; say which ones each scenario covers.',
  'Answer with JSON only: {"scenarios":[{"id":"<kebab-id>","title":"…","category":"happy|edge|failure","criticality":"critical|high|normal|low","covers":["S1"],',
  '"checks":[{"status":404,"on":{"method":"GET","path":"/x"}}],"rubric":[{"id":"<criterion id>","weight":1}],"criteria":{"<criterion id>":"what the judge checks"},',
  '"story":"…","steps":"1. …","expected":"…","feedback_tags":["…"]}]}.',
].join(' ');

export function draftPrompt(files: readonly SpecFile[], statements: readonly SpecStatement[]): string {
  return [
    '# Specification',
    ...files.map((file) => `## File: ${file.path}\n\`\`\`text\n${numbered(file.text)}\n\`\`\``),
    '# Statements to cover',
    ...statements.map((statement) => `- ${statement.id} (${statement.file}:${statement.line}): ${statement.text}`),
  ].join('\n\n');
}

const DraftSchema = z.object({
  id: z.string(),
  title: z.string(),
  category: z.enum(SCENARIO_CATEGORIES),
  criticality: z.string().optional(),
  covers: z.array(z.string()).default([]),
  checks: z.array(z.unknown()).default([]),
  rubric: z.array(z.object({ id: z.string(), weight: z.number().optional() })),
  criteria: z.record(z.string(), z.string()),
  story: z.string(),
  steps: z.string(),
  expected: z.string(),
  feedback_tags: z.array(z.string()).default([]),
});

export interface DraftedScenario {
  /** `<category>/<id>.md`. */
  file: string;
  text: string;
  covers: string[];
}

export interface RejectedDraft {
  index: number;
  issues: ScenarioIssue[];
}

export interface DraftResult {
  statements: SpecStatement[];
  drafts: DraftedScenario[];
  rejected: RejectedDraft[];
  usage: Usage;
}

function render(draft: z.output<typeof DraftSchema>): string {
  const frontmatter = {
    id: draft.id, title: draft.title, category: draft.category, ...(draft.criticality ? { criticality: draft.criticality } : {}),
    ...(draft.checks.length ? { checks: draft.checks } : {}), rubric: draft.rubric, ...(draft.feedback_tags.length ? { feedback_tags: draft.feedback_tags } : {}),
  };
  const criteria = Object.entries(draft.criteria).map(([id, text]) => `- ${id}: ${text.replace(/\s+/g, ' ').trim()}`);
  return `---\n${stringify(frontmatter).trimEnd()}\n---\n## Story\n${draft.story.trim()}\n\n## Steps\n${draft.steps.trim()}\n\n## Expected\n${draft.expected.trim()}\n\n## Judge criteria\n${criteria.join('\n')}\n`;
}

function answerJson(text: string): unknown {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(text);
  const candidate = fenced ? fenced[1]! : text;
  const start = candidate.indexOf('{');
  const end = candidate.lastIndexOf('}');
  if (start < 0 || end < start) throw new Error('the drafting agent answered without a JSON object');
  return JSON.parse(candidate.slice(start, end + 1));
}

export interface DraftOptions {
  files: readonly SpecFile[];
  diff?: string;
  provider: LlmProvider;
  model: string;
  signal?: AbortSignal;
}

export async function draftScenarios(options: DraftOptions): Promise<DraftResult> {
  const statements = specStatements(options.files, options.diff);
  const response = await options.provider.complete({
    model: options.model, system: DRAFT_SYSTEM, tools: [], stage: 'draft',
    messages: [{ role: 'user', content: [{ type: 'text', text: draftPrompt(options.files, statements) }] }],
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const text = response.message.content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('');
  const answer = z.object({ scenarios: z.array(z.unknown()) }).safeParse(answerJson(text));
  if (!answer.success) throw new Error('the drafting agent\'s answer has no "scenarios" list');
  const known = new Set(statements.map((statement) => statement.id));
  const drafts: DraftedScenario[] = [];
  const rejected: RejectedDraft[] = [];
  const seen = new Set<string>();
  answer.data.scenarios.forEach((raw, index) => {
    const draft = DraftSchema.safeParse(raw);
    if (!draft.success) {
      rejected.push({ index, issues: draft.error.issues.map((issue) => ({ field: issue.path.join('.'), expected: issue.message })) });
      return;
    }
    const rendered = render(draft.data);
    const parsed = parseScenario(rendered);
    if (!parsed.ok || seen.has(parsed.scenario.id)) {
      rejected.push({ index, issues: parsed.ok ? [{ field: 'id', expected: 'a unique scenario id' }] : parsed.issues });
      return;
    }
    seen.add(parsed.scenario.id);
    drafts.push({ file: `${parsed.scenario.category}/${parsed.scenario.id}.md`, text: rendered, covers: draft.data.covers.filter((id) => known.has(id)) });
  });
  return { statements, drafts, rejected, usage: response.usage };
}

/** Which statements each draft covers, and which none covers (Markdown). */
export function coverageTable(result: Pick<DraftResult, 'statements' | 'drafts'>): string {
  const coveredBy = new Map<string, string[]>();
  for (const draft of result.drafts) for (const id of draft.covers) coveredBy.set(id, [...(coveredBy.get(id) ?? []), draft.file]);
  const rows = result.statements.map((statement) => `| ${statement.id} | \`${statement.file}:${statement.line}\` | ${(coveredBy.get(statement.id) ?? []).map((file) => `\`${file}\``).join(', ') || '**none**'} |`);
  const uncovered = result.statements.filter((statement) => !coveredBy.has(statement.id));
  return ['| statement | where | covered by |', '|---|---|---|', ...rows, '',
    uncovered.length === 0 ? 'Every statement is covered.' : `Not covered: ${uncovered.map((statement) => `${statement.id} (\`${statement.file}:${statement.line}\`)`).join(', ')}`].join('\n');
}
