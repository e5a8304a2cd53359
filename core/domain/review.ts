// The spec-readiness review (interactive shift): located findings of four kinds, how they read as
// a line, how several critics' findings merge, the readiness summary, and the report the review
// leaves in the `factory/spec` check's output so the App can tell, at merge time, whether the last
// review had a blocking finding. One definition, shared by the App, the Action and the CLI.
import { z } from 'zod';

export const FINDING_KINDS = ['gap', 'ambiguity', 'contradiction', 'untestable'] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

/** Only these kinds can block a run (a missing behaviour or a disagreement; wording never blocks). */
export const BLOCKING_KINDS: readonly FindingKind[] = ['contradiction', 'gap'];

const repoPath = z.string().min(1).max(500).regex(/^(?!\/)(?!.*(?:^|\/)\.\.(?:\/|$))[^\0]+$/, 'a repository-relative path');

export const FindingSchema = z.strictObject({
  file: repoPath,
  line: z.number().int().min(1),
  kind: z.enum(FINDING_KINDS),
  message: z.string().min(1).max(2000),
  blocking: z.boolean().default(false),
  /** A rewording of the line, offered as a `suggestion` block. */
  suggestion: z.string().max(4000).optional(),
  /** Which critics (models) reported it, after merging. */
  critics: z.array(z.string().min(1)).default([]),
});

export type Finding = z.output<typeof FindingSchema>;

/** Blocking only where the kind can block, whatever a critic said. */
export function normalizeFinding(finding: Finding): Finding {
  return { ...finding, blocking: finding.blocking && BLOCKING_KINDS.includes(finding.kind) };
}

/** `file:line kind message` (with ` [blocking]` where it blocks): the CLI's line and the annotations' title. */
export function formatFinding(finding: Finding): string {
  const message = finding.message.replace(/\s+/g, ' ').trim();
  return `${finding.file}:${finding.line} ${finding.kind} ${message}${finding.blocking ? ' [blocking]' : ''}`;
}

function words(text: string): Set<string> {
  return new Set(text.toLowerCase().split(/[^a-z0-9]+/).filter((word) => word.length > 2));
}

function similar(a: string, b: string): boolean {
  const left = words(a);
  const right = words(b);
  if (left.size === 0 || right.size === 0) return false;
  let shared = 0;
  for (const word of left) if (right.has(word)) shared += 1;
  return shared / Math.min(left.size, right.size) >= 0.5;
}

/** Two lines apart at most: critics cite the same statement a line or two differently. */
const SAME_PLACE_LINES = 2;

/**
 * Several critics' findings as one list: the same kind at (nearly) the same place with similar
 * wording is one finding, reported by every critic that saw it, blocking when any critic said so;
 * ordered blocking first, then by file and line.
 */
export function mergeFindings(lists: ReadonlyArray<readonly Finding[]>): Finding[] {
  const merged: Finding[] = [];
  for (const list of lists) {
    for (const raw of list) {
      const finding = normalizeFinding(raw);
      const twin = merged.find((seen) => seen.file === finding.file && seen.kind === finding.kind
        && Math.abs(seen.line - finding.line) <= SAME_PLACE_LINES
        && (seen.line === finding.line || similar(seen.message, finding.message)));
      if (!twin) {
        merged.push({ ...finding, critics: [...finding.critics] });
        continue;
      }
      twin.blocking ||= finding.blocking;
      twin.suggestion ??= finding.suggestion;
      for (const critic of finding.critics) if (!twin.critics.includes(critic)) twin.critics.push(critic);
    }
  }
  return sortFindings(merged);
}

export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => Number(b.blocking) - Number(a.blocking) || a.file.localeCompare(b.file) || a.line - b.line
    || FINDING_KINDS.indexOf(a.kind) - FINDING_KINDS.indexOf(b.kind));
}

export type FindingCounts = Record<FindingKind, number>;

export function countFindings(findings: readonly Finding[]): FindingCounts {
  const counts = Object.fromEntries(FINDING_KINDS.map((kind) => [kind, 0])) as FindingCounts;
  for (const finding of findings) counts[finding.kind] += 1;
  return counts;
}

/** What the review leaves behind in the `factory/spec` check (between markers in its output text). */
export const ReviewReportSchema = z.strictObject({
  version: z.literal(1),
  /** The spec commit reviewed (the PR head). */
  head_sha: z.string().regex(/^[0-9a-f]{40}$/, 'a full commit sha'),
  counts: z.strictObject(Object.fromEntries(FINDING_KINDS.map((kind) => [kind, z.number().int().min(0)])) as Record<FindingKind, z.ZodNumber>),
  blocking: z.number().int().min(0),
  /** Up to ten blocking findings as `file:line kind message`, for the `factory` check's refusal. */
  blocking_lines: z.array(z.string().max(400)).max(10),
});

export type ReviewReport = z.output<typeof ReviewReportSchema>;

export function reviewReport(headSha: string, findings: readonly Finding[]): ReviewReport {
  const blocking = findings.filter((finding) => finding.blocking);
  return ReviewReportSchema.parse({
    version: 1,
    head_sha: headSha,
    counts: countFindings(findings),
    blocking: blocking.length,
    blocking_lines: blocking.slice(0, 10).map((finding) => formatFinding(finding).slice(0, 400)),
  });
}

export const REVIEW_MARKER_START = '<!-- factory-review';
export const REVIEW_MARKER_END = '-->';

export function embedReviewReport(report: ReviewReport): string {
  return `${REVIEW_MARKER_START} ${JSON.stringify(ReviewReportSchema.parse(report))} ${REVIEW_MARKER_END}`;
}

/** The report in a check's output text; null when there is none or it is not ours. */
export function extractReviewReport(text: string | null | undefined): ReviewReport | null {
  if (!text) return null;
  const start = text.lastIndexOf(REVIEW_MARKER_START);
  if (start < 0) return null;
  const from = start + REVIEW_MARKER_START.length;
  const end = text.indexOf(REVIEW_MARKER_END, from);
  if (end < 0) return null;
  try {
    const result = ReviewReportSchema.safeParse(JSON.parse(text.slice(from, end).trim()));
    return result.success ? result.data : null;
  } catch {
    return null;
  }
}

/** The readiness summary: counts per kind, then the findings, blocking ones first. */
export function readinessSummary(findings: readonly Finding[], maxListed = 50): string {
  const counts = countFindings(findings);
  const blocking = findings.filter((finding) => finding.blocking).length;
  const verdict = findings.length === 0 ? 'No findings: the spec reads as ready to run.'
    : blocking > 0 ? `**Not ready**: ${blocking} blocking finding(s).` : `Ready, with ${findings.length} non-blocking finding(s).`;
  const rows = FINDING_KINDS.map((kind) => `| ${kind} | ${counts[kind]} | ${findings.filter((f) => f.kind === kind && f.blocking).length} |`);
  const ordered = sortFindings(findings);
  const listed = ordered.slice(0, maxListed).map((finding) => `- ${finding.blocking ? '**blocking** ' : ''}\`${finding.file}:${finding.line}\` ${finding.kind}: ${finding.message.replace(/\s+/g, ' ').trim()}`);
  const more = ordered.length > maxListed ? [`- … and ${ordered.length - maxListed} more`] : [];
  return [verdict, '', '| kind | findings | blocking |', '|---|---|---|', ...rows, ...(listed.length ? ['', ...listed, ...more] : [])].join('\n');
}

/**
 * The App leaves the graph/config lint verdict in the in-progress `factory/spec` check's text, so
 * the review job, concluding the check, keeps a failing lint failing.
 */
const LINT_MARK = '<!-- factory-spec-lint:';

export function lintMark(failed: boolean): string {
  return `${LINT_MARK} ${failed ? 'failure' : 'success'} -->`;
}

export function lintFailedIn(text: string | null | undefined): boolean {
  return (text ?? '').includes(`${LINT_MARK} failure -->`);
}
