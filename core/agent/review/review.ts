// The spec-readiness review: each configured critic reads the same prompt (spec, config, graph,
// diff — nothing else), answers with located findings, and the findings are merged and deduplicated
// (the critique/revise pattern's critique half). A critic whose answer is unusable is reported,
// not fatal; the spend stops further critics at `maxUsd`.
import { z } from 'zod';
import { FindingSchema, mergeFindings, type Finding } from '../../domain/review.ts';
import { modelCatalog } from '../llm/catalog.ts';
import type { LlmProvider, Usage } from '../llm/types.ts';
import { REVIEW_SYSTEM, reviewPrompt, type ReviewInput } from './prompt.ts';

export interface Critic {
  /** The model spec as configured (`anthropic/claude-…`, `scripted:<file>`), named in findings. */
  name: string;
  provider: LlmProvider;
  model: string;
}

export interface ReviewOptions {
  input: ReviewInput;
  critics: readonly Critic[];
  /** No further critic starts once this much is spent (unknown prices count as 0). */
  maxUsd?: number;
  signal?: AbortSignal;
  now?: () => Date;
}

export interface CriticReport {
  critic: string;
  findings: number;
  /** Findings dropped because they cited a file or line not under review. */
  dropped: number;
  error?: string;
  usage?: Usage;
}

export interface ReviewResult {
  findings: Finding[];
  critics: CriticReport[];
  /** Critics not asked because the budget was spent. */
  skipped: string[];
  usage: Usage;
  costUsd: number;
}

const AnswerSchema = z.object({ findings: z.array(z.unknown()) });

export class ReviewAnswerError extends Error {}

/** The first JSON object of an answer (bare or fenced). */
export function answerJson(text: string): unknown {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(text);
  const candidate = fenced ? fenced[1]! : text;
  const start = candidate.indexOf('{');
  const end = candidate.lastIndexOf('}');
  if (start < 0 || end < start) throw new ReviewAnswerError('the answer holds no JSON object');
  try {
    return JSON.parse(candidate.slice(start, end + 1));
  } catch {
    throw new ReviewAnswerError('the answer holds malformed JSON');
  }
}

/** Findings of one answer that cite a file under review and a line it has; the rest are counted as dropped. */
export function parseFindings(text: string, input: ReviewInput, critic: string): { findings: Finding[]; dropped: number } {
  const answer = AnswerSchema.safeParse(answerJson(text));
  if (!answer.success) throw new ReviewAnswerError('the answer has no "findings" list');
  const lineCounts = new Map(input.files.map((file) => [file.path, file.text.split('\n').length - (file.text.endsWith('\n') ? 1 : 0)]));
  const findings: Finding[] = [];
  let dropped = 0;
  for (const raw of answer.data.findings) {
    const candidate = typeof raw === 'object' && raw !== null ? { ...raw, critics: [critic] } : raw;
    const parsed = FindingSchema.safeParse(candidate);
    const lines = parsed.success ? lineCounts.get(parsed.data.file.replace(/^\.\//, '')) : undefined;
    if (!parsed.success || lines === undefined || parsed.data.line > Math.max(1, lines)) {
      dropped += 1;
      continue;
    }
    findings.push({ ...parsed.data, file: parsed.data.file.replace(/^\.\//, '') });
  }
  return { findings, dropped };
}

function addUsage(total: Usage, usage: Usage): Usage {
  return { ...total, input_tokens: total.input_tokens + usage.input_tokens, output_tokens: total.output_tokens + usage.output_tokens };
}

export async function runSpecReview(options: ReviewOptions): Promise<ReviewResult> {
  const prompt = reviewPrompt(options.input);
  const lists: Finding[][] = [];
  const critics: CriticReport[] = [];
  const skipped: string[] = [];
  let usage: Usage = { input_tokens: 0, output_tokens: 0 };
  let costUsd = 0;
  for (const critic of options.critics) {
    if (options.maxUsd !== undefined && costUsd >= options.maxUsd) {
      skipped.push(critic.name);
      continue;
    }
    try {
      const response = await critic.provider.complete({
        model: critic.model,
        system: REVIEW_SYSTEM,
        messages: [{ role: 'user', content: [{ type: 'text', text: prompt }] }],
        tools: [],
        stage: 'review',
        ...(options.signal ? { signal: options.signal } : {}),
      });
      usage = addUsage(usage, response.usage);
      costUsd += modelCatalog().costOf(response.provider, response.model, response.usage) ?? 0;
      const text = response.message.content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('');
      const { findings, dropped } = parseFindings(text, options.input, critic.name);
      lists.push(findings);
      critics.push({ critic: critic.name, findings: findings.length, dropped, usage: response.usage });
    } catch (error) {
      critics.push({ critic: critic.name, findings: 0, dropped: 0, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return { findings: mergeFindings(lists), critics, skipped, usage, costUsd };
}

/** A review in which no critic answered usably says nothing about the spec: the caller reports it as an error. */
export function reviewFailed(result: ReviewResult): string | null {
  if (result.critics.length > 0 && result.critics.every((critic) => critic.error !== undefined)) {
    return result.critics.map((critic) => `${critic.critic}: ${critic.error}`).join('; ');
  }
  return null;
}
