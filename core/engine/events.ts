// Typed run events (Attractor §9.6) with snake_case `type` names (contracts.md §2), delivered to
// observers and to any number of async iterators.
import type { Usage } from './outcome.ts';

interface Base {
  ts: string;
  run_id: string;
}

export type PipelineEvent =
  | (Base & { type: 'pipeline_started'; name: string; goal: string; resumed: boolean })
  | (Base & { type: 'pipeline_completed'; duration_ms: number; artifact_count: number; usage?: Usage; cost_usd?: number | null })
  | (Base & { type: 'pipeline_failed'; error: string; duration_ms: number; usage?: Usage; cost_usd?: number | null })
  | (Base & { type: 'pipeline_waiting'; node_id: string; question: unknown })
  | (Base & { type: 'pipeline_restarted'; from_node: string; to_node: string; logs_root: string })
  | (Base & { type: 'stage_started'; name: string; index: number; attempt: number; handler: string })
  | (Base & { type: 'stage_completed'; name: string; index: number; duration_ms: number; status: string; usage?: Usage; cost_usd?: number | null })
  | (Base & { type: 'stage_failed'; name: string; index: number; error: string; will_retry: boolean; usage?: Usage; cost_usd?: number | null })
  | (Base & { type: 'stage_retrying'; name: string; index: number; attempt: number; delay_ms: number })
  | (Base & { type: 'parallel_started'; node_id: string; branch_count: number })
  | (Base & { type: 'parallel_branch_started'; node_id: string; branch: string; index: number })
  | (Base & { type: 'parallel_branch_completed'; node_id: string; branch: string; index: number; duration_ms: number; success: boolean })
  | (Base & { type: 'parallel_completed'; node_id: string; duration_ms: number; success_count: number; failure_count: number })
  | (Base & { type: 'interview_started'; question: string; stage: string })
  | (Base & { type: 'interview_completed'; question: string; answer: string; duration_ms: number })
  | (Base & { type: 'interview_timeout'; question: string; stage: string; duration_ms: number })
  | (Base & { type: 'checkpoint_saved'; node_id: string })
  // Coding-agent activity inside an LLM stage (coding-agent-loop-spec §2.9); the tool call carries the full, untruncated output.
  | (Base & { type: 'agent_turn'; node_id: string; turn: number; provider: string; model: string; finish_reason: string; usage: Usage; cost_usd: number | null; tool_calls: number; text: string; context_tokens?: number; context_percent?: number })
  | (Base & { type: 'agent_tool_call'; node_id: string; turn: number; call_id: string; tool: string; arguments: Record<string, unknown>; output: string; truncated: boolean; is_error: boolean; duration_ms: number; hook?: string })
  | (Base & { type: 'agent_notice'; node_id: string; turn: number; kind: string; message: string })
  // Context management and steering (contracts.md §2 events added).
  | (Base & { type: 'context_compacted'; node_id: string; turn: number; before_tokens: number; after_tokens: number; turns_removed: number; reason: string; usage: Usage; cost_usd: number | null })
  | (Base & { type: 'steering_injected'; node_id: string; turn: number; content: string });

export type PipelineEventType = PipelineEvent['type'];

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** An event as a handler emits it; the bus stamps `ts` and `run_id`. */
export type EventInput = DistributiveOmit<PipelineEvent, 'ts' | 'run_id'>;

export type EventObserver = (event: PipelineEvent) => void;

export class EventBus {
  #observers = new Set<EventObserver>();
  #streams = new Set<{ queue: PipelineEvent[]; wake: (() => void) | null; closed: boolean }>();
  #closed = false;
  readonly #now: () => number;
  runId: string;

  constructor(runId: string, now: () => number = Date.now) {
    this.runId = runId;
    this.#now = now;
  }

  subscribe(observer: EventObserver): () => void {
    this.#observers.add(observer);
    return () => this.#observers.delete(observer);
  }

  emit(input: EventInput): PipelineEvent {
    const event = { ts: new Date(this.#now()).toISOString(), run_id: this.runId, ...input } as PipelineEvent;
    for (const observer of this.#observers) {
      try {
        observer(event);
      } catch {
        // An observer's failure must not break the run; observers own their error handling.
      }
    }
    for (const stream of this.#streams) {
      stream.queue.push(event);
      stream.wake?.();
    }
    return event;
  }

  /** Ends every async iterator once its queued events are consumed. */
  close(): void {
    this.#closed = true;
    for (const stream of this.#streams) {
      stream.closed = true;
      stream.wake?.();
    }
  }

  /** Events emitted from now on, until the run finishes. */
  async *stream(): AsyncGenerator<PipelineEvent> {
    const state = { queue: [] as PipelineEvent[], wake: null as (() => void) | null, closed: this.#closed };
    this.#streams.add(state);
    try {
      while (true) {
        const next = state.queue.shift();
        if (next) {
          yield next;
          continue;
        }
        if (state.closed) return;
        await new Promise<void>((resolve) => (state.wake = resolve));
        state.wake = null;
      }
    } finally {
      this.#streams.delete(state);
    }
  }
}
