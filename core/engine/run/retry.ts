// Retry policy (Attractor §3.5–§3.6, engine.md decision 3).
import { attrNumber, attrString, type Graph, type GraphNode } from '../graph.ts';
import { isTerminalError } from '../errors.ts';
import type { Random } from '../clock.ts';

export interface BackoffConfig {
  initial_delay_ms: number;
  backoff_factor: number;
  max_delay_ms: number;
  jitter: boolean;
}

export interface RetryPolicy {
  /** At least 1 (1 means no retries). */
  max_attempts: number;
  backoff: BackoffConfig;
  shouldRetry(error: unknown): boolean;
}

export const RETRY_PRESETS = {
  none: { max_attempts: 1, initial_delay_ms: 0, backoff_factor: 1 },
  standard: { max_attempts: 5, initial_delay_ms: 200, backoff_factor: 2 },
  aggressive: { max_attempts: 5, initial_delay_ms: 500, backoff_factor: 2 },
  linear: { max_attempts: 3, initial_delay_ms: 500, backoff_factor: 1 },
  patient: { max_attempts: 3, initial_delay_ms: 2000, backoff_factor: 3 },
} as const;
export type RetryPresetName = keyof typeof RETRY_PRESETS;

const DEFAULT_MAX_DELAY_MS = 60_000;

/** Delay before retry number `attempt` (1-based): initial × factor^(attempt−1), capped, jittered ×[0.5, 1.5). */
export function delayForAttempt(attempt: number, backoff: BackoffConfig, random: Random): number {
  let delay = backoff.initial_delay_ms * backoff.backoff_factor ** (attempt - 1);
  delay = Math.min(delay, backoff.max_delay_ms);
  if (backoff.jitter) delay *= 0.5 + random();
  return Math.round(delay);
}

/**
 * Retryable unless the error says otherwise: terminal errors (authentication, invalid request,
 * configuration, budget exhausted) carry `terminal: true`; HTTP-shaped errors are classified by status.
 */
export function defaultShouldRetry(error: unknown): boolean {
  if (isTerminalError(error)) return false;
  if (typeof error === 'object' && error !== null) {
    const status = (error as { status?: unknown }).status;
    if (typeof status === 'number') return status === 408 || status === 409 || status === 429 || status >= 500;
    const retryable = (error as { retryable?: unknown }).retryable;
    if (typeof retryable === 'boolean') return retryable;
  }
  return true;
}

function presetName(value: string): RetryPresetName | undefined {
  return value in RETRY_PRESETS ? (value as RetryPresetName) : undefined;
}

/**
 * Attempts: node `max_retries` + 1, else the node's `retry_policy` preset, else graph
 * `default_max_retries` + 1, else 1. Backoff: the node's preset, else the graph's
 * `default_retry_policy`, else `standard`.
 */
export function buildRetryPolicy(node: GraphNode, graph: Graph): RetryPolicy {
  const nodePreset = presetName(attrString(node.attrs, 'retry_policy'));
  const backoffPreset = RETRY_PRESETS[nodePreset ?? presetName(attrString(graph.attrs, 'default_retry_policy')) ?? 'standard'];
  const nodeRetries = attrNumber(node.attrs, 'max_retries');
  const graphRetries = attrNumber(graph.attrs, 'default_max_retries');
  const maxAttempts =
    nodeRetries !== undefined ? nodeRetries + 1 : nodePreset ? RETRY_PRESETS[nodePreset].max_attempts : (graphRetries ?? 0) + 1;
  return {
    max_attempts: Math.max(1, Math.floor(maxAttempts)),
    backoff: {
      initial_delay_ms: backoffPreset.initial_delay_ms,
      backoff_factor: backoffPreset.backoff_factor,
      max_delay_ms: DEFAULT_MAX_DELAY_MS,
      jitter: true,
    },
    shouldRetry: defaultShouldRetry,
  };
}
