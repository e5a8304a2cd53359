// What people read about a run: the job summary, the factory PR's body and the `factory` check's
// output. Pure: everything comes in as data.
import { buildRunOverlay, renderMermaid, type Graph, type RunResult } from '../core/engine/index.ts';
import { totalsOf, type StageLog } from './stage-log.ts';

export type ActionStatus = 'success' | 'fail' | 'cancelled' | 'waiting';

export interface RunReport {
  status: ActionStatus;
  /** Why the run did not succeed. */
  reason?: string;
  graph: Graph;
  graphPath: string;
  result?: RunResult;
  stages: StageLog;
  specSha: string;
  branch: string;
  budget: { maxUsd: number; maxMinutes: number };
  links: { run?: string; spec?: string; pr?: string };
}

/** GitHub's limit on a check run's output.summary and output.text. */
export const CHECK_TEXT_LIMIT = 65_535;

const STATUS_ICON: Record<string, string> = { success: '✅', partial_success: '🟡', fail: '❌', retrying: '🔁', retry: '🔁', skipped: '⏭️', waiting: '⏸️', cancelled: '⛔' };

export function formatUsd(value: number | null): string {
  return value === null ? 'unknown' : `$${value.toFixed(4)}`;
}

function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 120) return `${seconds.toFixed(1)} s`;
  return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

export function headline(report: RunReport): string {
  const text: Record<ActionStatus, string> = { success: 'succeeded', fail: 'failed', cancelled: 'was cancelled', waiting: 'is waiting for an answer' };
  return `Factory run ${text[report.status]}`;
}

export function pathTaken(report: RunReport): string {
  return (report.result?.completed_nodes ?? report.stages.rows.map((row) => row.nodeId)).join(' → ');
}

export function stageTable(stages: StageLog): string {
  const lines = ['| stage | outcome | attempts | duration | tokens in | tokens out | cost |', '|---|---|---:|---:|---:|---:|---:|'];
  for (const row of stages.rows) {
    lines.push(`| ${cell(row.nodeId)} | ${STATUS_ICON[row.status] ?? ''} ${cell(row.status)} | ${row.attempts} | ${formatDuration(row.durationMs)} | ${row.tokensIn} | ${row.tokensOut} | ${formatUsd(row.costUsd)} |`);
  }
  return lines.join('\n');
}

export function totalsLine(report: RunReport): string {
  const totals = totalsOf(report.stages);
  return `**Totals:** ${totals.tokensIn} tokens in, ${totals.tokensOut} tokens out, ${formatUsd(totals.costUsd)} of a $${report.budget.maxUsd} budget; ${formatDuration(totals.durationMs)} in stages of a ${report.budget.maxMinutes} min budget.`;
}

export function mermaidOfRun(report: RunReport): string {
  const result = report.result;
  const status = report.status;
  const overlay = buildRunOverlay(report.graph, {
    completed_nodes: result?.completed_nodes ?? report.stages.rows.map((row) => row.nodeId),
    node_outcomes: result?.node_outcomes ?? {},
    status,
  });
  return renderMermaid(report.graph, overlay);
}

function linkLines(report: RunReport): string[] {
  const lines = [`- Spec commit: ${report.links.spec ? `[${report.specSha.slice(0, 7)}](${report.links.spec})` : `\`${report.specSha}\``}`, `- Branch: \`${report.branch}\``];
  if (report.links.run) lines.push(`- Workflow run: ${report.links.run}`);
  if (report.links.pr) lines.push(`- Pull request: ${report.links.pr}`);
  lines.push(`- Graph: \`${report.graphPath}\``);
  return lines;
}

function core(report: RunReport, withDrawing: boolean): string[] {
  const parts = [`## ${headline(report)}`];
  if (report.reason) parts.push('', `> ${report.reason.split('\n').join('\n> ')}`);
  parts.push('', `**Path taken:** ${pathTaken(report) || '(no stage ran)'}`);
  if (withDrawing) parts.push('', '```mermaid', mermaidOfRun(report), '```');
  parts.push('', stageTable(report.stages), '', totalsLine(report), '', ...linkLines(report));
  return parts;
}

export function jobSummary(report: RunReport): string {
  return `${core(report, true).join('\n')}\n`;
}

export const PR_BODY_MARKER = '<!-- spec-factory run summary -->';

export function pullRequestBody(report: RunReport): string {
  return [PR_BODY_MARKER, `This pull request was written by the spec factory from spec commit ${report.specSha}.`, '', ...core(report, false), ''].join('\n');
}

/** Title: the spec's first Markdown heading, else a generic one with the short sha. */
export function pullRequestTitle(specHeading: string | undefined, specSha: string): string {
  const heading = specHeading?.replace(/^#+\s*/, '').trim();
  return heading ? `factory: ${heading}`.slice(0, 240) : `factory: implement spec ${specSha.slice(0, 7)}`;
}

export function firstHeading(markdown: string): string | undefined {
  return /^#\s+(.+)$/m.exec(markdown)?.[1];
}

/** Cuts text to GitHub's check output limit, ending with a pointer to the full summary. */
export function truncateForCheck(text: string, link: string | undefined): string {
  if (text.length <= CHECK_TEXT_LIMIT) return text;
  const tail = `\n\n… truncated; the full summary is in the workflow run${link ? `: ${link}` : ''}.`;
  return text.slice(0, CHECK_TEXT_LIMIT - tail.length) + tail;
}

export function checkOutput(report: RunReport): { title: string; summary: string } {
  return { title: headline(report), summary: truncateForCheck(jobSummary(report), report.links.run) };
}

interface GateQuestion {
  text?: string;
  options?: Array<{ key: string; label: string }>;
}

/**
 * The comment asking for a parked gate's answer, in the `/factory answer <key>` syntax, naming the
 * parked run's `factory` check (`check=<id>`) when there is one: that is how the App finds the run
 * from an issue or a spec PR, where no factory PR head points to it. Pure.
 */
export function gateQuestionComment(nodeId: string, question: unknown, runLink: string | undefined, checkRunId?: number): string {
  const { text, options = [] } = (question ?? {}) as GateQuestion;
  const run = checkRunId !== undefined ? ` check=${checkRunId}` : '';
  const lines = [`### The factory is waiting for an answer at \`${nodeId}\``, '', `> ${(text ?? nodeId).split('\n').join('\n> ')}`, ''];
  if (options.length > 0) {
    lines.push('Answer with one of these comments (the first line counts):', '');
    for (const option of options) lines.push(`- \`/factory answer ${option.key}${run}\` — ${option.label}`);
  } else {
    lines.push(`Answer with a comment \`/factory answer <key>${run}\`.`);
  }
  lines.push('', `The run resumes from its checkpoint${runLink ? ` (${runLink})` : ''} without re-running completed stages.`);
  return lines.join('\n');
}

export interface RunProgress {
  /** The stage running now; undefined before the first one starts. */
  stage?: string;
  elapsedMs: number;
  stages: StageLog;
  branch: string;
  budget: { maxUsd: number; maxMinutes: number };
  runLink?: string;
}

/** `ctx 62 % · 2 compactions · 1 steering message`, or '' before any of them is known. */
export function contextLine(stages: StageLog): string {
  const context = stages.context;
  if (!context) return '';
  const parts: string[] = [];
  if (context.percent !== undefined) parts.push(`ctx ${context.percent} %`);
  if (context.compactions > 0) parts.push(`${context.compactions} compaction${context.compactions === 1 ? '' : 's'}`);
  if (context.steering > 0) parts.push(`${context.steering} steering message${context.steering === 1 ? '' : 's'}`);
  return parts.join(' · ');
}

/** The in-progress `factory` check: the current stage, elapsed time, tokens and cost against the budget. Pure. */
export function progressOutput(progress: RunProgress): { title: string; summary: string } {
  const totals = totalsOf(progress.stages);
  const title = progress.stage ? `Running: ${progress.stage}` : 'Factory run started';
  const lines = [
    progress.stage ? `Stage \`${progress.stage}\` is running on \`${progress.branch}\`.` : `The run is starting on \`${progress.branch}\`.`,
    '',
    `**Elapsed:** ${formatDuration(progress.elapsedMs)} of a ${progress.budget.maxMinutes} min budget`,
    `**Tokens:** ${totals.tokensIn} in, ${totals.tokensOut} out`,
    `**Cost so far:** ${formatUsd(totals.costUsd)} of a $${progress.budget.maxUsd} budget`,
  ];
  const context = contextLine(progress.stages);
  if (context) lines.push(`**Context:** ${context}`);
  if (progress.stages.rows.length > 0) lines.push('', stageTable(progress.stages));
  return { title, summary: truncateForCheck(lines.join('\n'), progress.runLink) };
}
