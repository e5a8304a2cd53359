// The supervisor (Attractor §4.11): start a child pipeline, watch it, nudge it when it keeps
// retrying, and finish when it finishes or when the stop condition holds.
import { join, resolve } from 'node:path';
import { evaluateCondition } from '../conditions.ts';
import type { Context } from '../context.ts';
import { attrDurationMs, attrNumber, attrString, type Attrs } from '../graph.ts';
import type { ChildRun, Handler, StageInput } from '../handler.ts';
import type { Outcome } from '../outcome.ts';

export const DEFAULT_POLL_INTERVAL_MS = 45_000;
export const DEFAULT_MAX_CYCLES = 1000;
export const DEFAULT_STEER_COOLDOWN_MS = 5 * 60_000;
const DEFAULT_ACTIONS = 'observe,wait';

type ChildStatus = ReturnType<ChildRun['status']>;

export class ManagerLoopHandler implements Handler {
  async execute(input: StageInput): Promise<Outcome> {
    const { node, graph, services } = input;
    const setting = (key: string): string => attrString(node.attrs, key) || attrString(graph.attrs, key);
    const dotfile = setting('stack.child_dotfile');
    if (!dotfile) return { status: 'fail', failure_reason: 'No stack.child_dotfile specified' };

    const workdir = resolve(services.workdir, setting('stack.child_workdir') || '.');
    const child = autostart(node.attrs)
      ? await services.startChild({ dotfile, workdir, logsRoot: join(input.stageDir, 'child'), signal: input.signal })
      : undefined;
    try {
      return await supervise(input, child);
    } finally {
      // Whatever ended the supervision (stop condition, cycle limit, cancellation), the child ends with it.
      if (child?.status().status === 'running') child.abort();
    }
  }
}

async function supervise(input: StageInput, child: ChildRun | undefined): Promise<Outcome> {
  const { node, services, context } = input;
  const actions = new Set(
    (attrString(node.attrs, 'manager.actions') || DEFAULT_ACTIONS).split(',').map((a) => a.trim().toLowerCase()).filter(Boolean),
  );
  const maxCycles = attrNumber(node.attrs, 'manager.max_cycles') ?? DEFAULT_MAX_CYCLES;
  const pollMs = attrDurationMs(node.attrs, 'manager.poll_interval') ?? DEFAULT_POLL_INTERVAL_MS;
  const cooldownMs = attrDurationMs(node.attrs, 'manager.steer_cooldown') ?? DEFAULT_STEER_COOLDOWN_MS;
  const stopCondition = attrString(node.attrs, 'manager.stop_condition');
  let lastSteerAt: number | undefined;
  let telemetry: Record<string, unknown> = {};

  for (let cycle = 1; cycle <= maxCycles; cycle++) {
    const status = child?.status();
    if (status && actions.has('observe')) {
      telemetry = childTelemetry(status);
      // Written straight into the context so the stop condition below sees this cycle's state.
      context.applyUpdates(telemetry);
    }

    if (child && status && actions.has('steer') && isStuck(status)) {
      const now = services.clock.now();
      if (lastSteerAt === undefined || now - lastSteerAt >= cooldownMs) {
        await child.steer(attrString(node.attrs, 'manager.steer_message') || defaultSteerMessage(status));
        lastSteerAt = now;
      }
    }

    if (status?.status === 'completed') {
      if (status.outcome === 'success') return withTelemetry({ status: 'success', notes: 'Child completed' }, telemetry);
      return withTelemetry({ status: 'fail', failure_reason: `Child completed with outcome ${status.outcome ?? 'unknown'}` }, telemetry);
    }
    if (status?.status === 'failed') return withTelemetry({ status: 'fail', failure_reason: 'Child failed' }, telemetry);
    if (stopCondition && evaluateCondition(stopCondition, conditionOutcome(status, context), context)) {
      return withTelemetry({ status: 'success', notes: 'Stop condition satisfied' }, telemetry);
    }
    if (actions.has('wait') && cycle < maxCycles) await services.clock.sleep(pollMs, input.signal);
  }
  return withTelemetry({ status: 'fail', failure_reason: 'Max cycles exceeded' }, telemetry);
}

/** The last observation goes out with the outcome too, so the executor records it like any update. */
function withTelemetry(outcome: Outcome, telemetry: Record<string, unknown>): Outcome {
  return { ...outcome, context_updates: { ...telemetry } };
}

function autostart(attrs: Attrs): boolean {
  const value = attrs['stack.child_autostart'];
  return value !== false && value !== 'false';
}

function childTelemetry(status: ChildStatus): Record<string, unknown> {
  return {
    'stack.child.status': status.status,
    'stack.child.outcome': status.outcome ?? '',
    'stack.child.current_node': status.current_node ?? '',
    'stack.child.completed_count': status.completed_nodes.length,
  };
}

function isStuck(status: ChildStatus): boolean {
  return status.status === 'running' && status.current_node !== undefined && (status.retries[status.current_node] ?? 0) > 0;
}

function defaultSteerMessage(status: ChildStatus): string {
  const node = status.current_node ?? 'the current stage';
  return `The supervisor sees ${node} retrying. Step back, find the cause of the failure, and change approach before trying again.`;
}

/** `outcome` in a stop condition means the child's outcome so far (empty while it has none). */
function conditionOutcome(status: ChildStatus | undefined, context: Context): { status: string; preferred_label?: string } {
  return { status: status?.outcome ?? '', preferred_label: context.getString('preferred_label') || undefined };
}
