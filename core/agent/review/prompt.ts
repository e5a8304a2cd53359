// What the spec-refinement agent is told and shown: the instructions, then only the files it was
// given (the spec tree, the factory config and graph) with line numbers so it can cite them, and the
// pull request's diff. It has no tools: nothing else can reach it.
import { FINDING_KINDS } from '../../domain/review.ts';

export interface SpecFile {
  /** Repository-relative path, `/`-separated. */
  path: string;
  text: string;
}

export interface ReviewInput {
  /** The spec tree (`spec.paths`), the config and the graph: the only files the review may read. */
  files: readonly SpecFile[];
  /** The spec PR's (or `--base`'s) diff of those files; '' when there is none. */
  diff: string;
}

export const REVIEW_SYSTEM = [
  'You are a spec-refinement agent reviewing a software specification before coding agents implement it unattended.',
  'You see only the specification, the factory configuration and graph, and a diff. You never see code or tests.',
  'Report located findings of exactly these kinds:',
  '"gap": a behaviour the intent implies but never states (e.g. what happens on a duplicate);',
  '"ambiguity": a statement two reasonable implementations could read differently;',
  '"contradiction": intent, contracts and constraints disagree (cite the line of one side and name the other in the message);',
  '"untestable": a constraint without a measurable bar (e.g. "fast").',
  'Mark a finding "blocking": true only when implementing the spec as written would likely converge on the wrong thing (contradictions and serious gaps).',
  'Where a rewording of the cited line fixes it, give the full replacement line as "suggestion".',
  'Cite the file path and the 1-based line number exactly as shown. Prefer lines the diff changes. Do not report style.',
  `Answer with JSON only: {"findings":[{"file":"<path>","line":<n>,"kind":"${FINDING_KINDS.join('|')}","message":"<one or two sentences>","blocking":true|false,"suggestion":"<replacement line, optional>"}]}; an empty list when the spec is ready.`,
].join(' ');

export function numbered(text: string): string {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const width = String(lines.length).length;
  return lines.map((line, index) => `${String(index + 1).padStart(width, ' ')}| ${line}`).join('\n');
}

export function reviewPrompt(input: ReviewInput): string {
  const files = input.files.map((file) => `## File: ${file.path}\n\`\`\`text\n${numbered(file.text)}\n\`\`\``);
  return [
    '# Files under review (line numbers before the bar)',
    ...files,
    '# The change under review (diff)',
    input.diff.trim() === '' ? '(no diff: review the files as they are)' : `\`\`\`diff\n${input.diff.trimEnd()}\n\`\`\``,
    '# Your answer',
    'JSON only, as the instructions say.',
  ].join('\n\n');
}
