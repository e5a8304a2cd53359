// Run progress on stderr: a live single line on a terminal, one plain line per stage event otherwise.
import type { PipelineEvent } from '../core/engine/events.ts';
import type { Usage } from '../core/engine/outcome.ts';
import { formatDuration, plural, type TextSink } from './output.ts';

const REDRAW_INTERVAL_MS = 1000;
const CLEAR_LINE = '\r\x1b[2K';

export interface ProgressOptions {
  sink: TextSink;
  /** Redraw one line in place (a terminal) instead of printing a line per event. */
  live: boolean;
  now: () => number;
}

/** Tokens and cost summed over finished stages; cost is null once any stage had an unknown price. */
export interface Spend {
  tokens: number;
  cost: number | null | undefined;
}

export function addSpend(spend: Spend, usage: Usage | undefined, cost: number | null | undefined): Spend {
  const tokens = spend.tokens + (usage ? usage.input_tokens + usage.output_tokens : 0);
  if (cost === undefined) return { tokens, cost: spend.cost };
  if (cost === null || spend.cost === null) return { tokens, cost: null };
  return { tokens, cost: (spend.cost ?? 0) + cost };
}

export function formatSpend(spend: Spend): string {
  const parts: string[] = [];
  if (spend.tokens > 0) parts.push(`${spend.tokens.toLocaleString('en-US')} tokens`);
  if (typeof spend.cost === 'number') parts.push(`$${spend.cost.toFixed(4)}`);
  else if (spend.cost === null) parts.push('cost unknown');
  return parts.join(', ');
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0] ?? '';
}

export class ProgressReporter {
  readonly #sink: ProgressOptions['sink'];
  readonly #live: boolean;
  readonly #now: () => number;
  readonly #startedAt: number;
  #timer: ReturnType<typeof setInterval> | undefined;
  #current = '';
  #stagesDone = 0;
  #spend: Spend = { tokens: 0, cost: undefined };
  #context: ContextState = emptyContext();
  /** A human is being asked a question on the same terminal; the live line keeps out of the way. */
  #paused = false;
  #drawn = false;

  constructor(options: ProgressOptions) {
    this.#sink = options.sink;
    this.#live = options.live;
    this.#now = options.now;
    this.#startedAt = options.now();
    if (this.#live) {
      this.#timer = setInterval(() => this.#redraw(), REDRAW_INTERVAL_MS);
      this.#timer.unref();
    }
  }

  readonly observe = (event: PipelineEvent): void => {
    this.#track(event);
    if (this.#live) this.#redraw();
    else this.#printPlain(event);
  };

  /** Removes the live line; call before printing the result. */
  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    this.#clear();
  }

  #track(event: PipelineEvent): void {
    this.#context = foldContext(this.#context, event);
    switch (event.type) {
      case 'stage_started':
        this.#current = event.attempt > 1 ? `${event.name} (attempt ${event.attempt})` : event.name;
        break;
      case 'stage_completed':
        this.#stagesDone++;
        this.#spend = addSpend(this.#spend, event.usage, event.cost_usd);
        break;
      case 'stage_failed':
        if (!event.will_retry) this.#stagesDone++;
        this.#spend = addSpend(this.#spend, event.usage, event.cost_usd);
        break;
      case 'interview_started':
        this.#paused = true;
        this.#clear();
        break;
      case 'interview_completed':
      case 'interview_timeout':
        this.#paused = false;
        break;
      default:
        break;
    }
  }

  #elapsed(): string {
    return formatDuration(this.#now() - this.#startedAt);
  }

  #redraw(): void {
    if (this.#paused) return;
    const parts = [this.#current || 'starting', this.#elapsed(), `${plural(this.#stagesDone, 'stage')} done`];
    const spend = formatSpend(this.#spend);
    if (spend) parts.push(spend);
    const context = formatContext(this.#context);
    if (context) parts.push(context);
    let line = `▸ ${parts.join(' · ')}`;
    const columns = this.#sink.columns;
    if (columns && line.length >= columns) line = `${line.slice(0, columns - 2)}…`;
    this.#sink.write(`${CLEAR_LINE}${line}`);
    this.#drawn = true;
  }

  #clear(): void {
    if (!this.#drawn) return;
    this.#sink.write(CLEAR_LINE);
    this.#drawn = false;
  }

  #printPlain(event: PipelineEvent): void {
    const line = plainLine(event);
    if (line !== undefined) this.#sink.write(`[+${this.#elapsed()}] ${line}\n`);
  }
}

/** The context in use by the latest model turn, and what compacted or steered the sessions so far. */
export interface ContextState {
  percent: number | undefined;
  compactions: number;
  steering: number;
}

export function emptyContext(): ContextState {
  return { percent: undefined, compactions: 0, steering: 0 };
}

export function foldContext(state: ContextState, event: PipelineEvent): ContextState {
  if (event.type === 'agent_turn' && event.context_percent !== undefined) return { ...state, percent: event.context_percent };
  if (event.type === 'context_compacted') return { ...state, compactions: state.compactions + 1, percent: undefined };
  if (event.type === 'steering_injected') return { ...state, steering: state.steering + 1 };
  if (event.type === 'stage_started') return { ...state, percent: undefined };
  return state;
}

/** `ctx 62 % · 2 compactions · 1 steering message`; empty when there is nothing to say. */
export function formatContext(state: ContextState): string {
  const parts: string[] = [];
  if (state.percent !== undefined) parts.push(`ctx ${state.percent} %`);
  if (state.compactions > 0) parts.push(plural(state.compactions, 'compaction'));
  if (state.steering > 0) parts.push(plural(state.steering, 'steering message'));
  return parts.join(' · ');
}

/** The plain-text line for an event worth a line, else undefined. */
export function plainLine(event: PipelineEvent): string | undefined {
  switch (event.type) {
    case 'stage_started':
      return `${event.name}: started (${event.handler}${event.attempt > 1 ? `, attempt ${event.attempt}` : ''})`;
    case 'stage_completed': {
      const spend = formatSpend(addSpend({ tokens: 0, cost: undefined }, event.usage, event.cost_usd));
      return `${event.name}: ${event.status} in ${formatDuration(event.duration_ms)}${spend ? ` (${spend})` : ''}`;
    }
    case 'stage_failed':
      return `${event.name}: fail: ${firstLine(event.error)}${event.will_retry ? ' (will retry)' : ''}`;
    case 'stage_retrying':
      return `${event.name}: retrying (attempt ${event.attempt}) in ${formatDuration(event.delay_ms)}`;
    case 'pipeline_restarted':
      return `loop restart: ${event.from_node} -> ${event.to_node}`;
    case 'pipeline_waiting':
      return `${event.node_id}: waiting for a human answer`;
    case 'context_compacted':
      return `${event.node_id}: context compacted from ${event.before_tokens.toLocaleString('en-US')} to ${event.after_tokens.toLocaleString('en-US')} tokens (${plural(event.turns_removed, 'turn')} summarised)`;
    case 'steering_injected':
      return `${event.node_id}: steering message received: ${firstLine(event.content)}`;
    default:
      return undefined;
  }
}
