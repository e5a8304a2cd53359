// Human gates (Attractor §4.6, engine.md decision 9): the outgoing edges become the choices, the
// interviewer answers, and "no answer yet" parks the run instead of failing it.
import { attrDurationMs, attrString, outgoingEdges } from '../graph.ts';
import type { Handler, StageInput } from '../handler.ts';
import { AnswerValue, type Answer, type Question } from '../interviewer.ts';
import { acceleratorKey, normalizeLabel } from '../labels.ts';
import type { HandlerResult, Outcome } from '../outcome.ts';

export interface HumanChoice {
  key: string;
  label: string;
  /** The edge target this choice leads to. */
  to: string;
}

export class WaitForHumanHandler implements Handler {
  async execute(input: StageInput): Promise<HandlerResult> {
    const { node, services } = input;
    const choices = gateChoices(input);
    if (choices.length === 0) return { status: 'fail', failure_reason: 'No outgoing edges for human gate' };

    const question = gateQuestion(input, choices);
    input.emit({ type: 'interview_started', question: question.text, stage: node.id });
    const askedAt = services.clock.now();
    const answer = await services.interviewer.ask(question);
    const durationMs = services.clock.now() - askedAt;

    if (answer.value === AnswerValue.PENDING) {
      return { status: 'waiting', question, notes: `Waiting for a human answer at ${node.id}` };
    }
    if (answer.value === AnswerValue.TIMEOUT) {
      input.emit({ type: 'interview_timeout', question: question.text, stage: node.id, duration_ms: durationMs });
      return timeoutOutcome(attrString(node.attrs, 'human.default_choice'), choices);
    }
    input.emit({ type: 'interview_completed', question: question.text, answer: answer.value, duration_ms: durationMs });
    if (answer.value === AnswerValue.SKIPPED) return { status: 'fail', failure_reason: 'human skipped interaction' };

    const selected = matchAnswer(answer, choices) ?? choices[0]!;
    return selectedOutcome(selected, `Human selected: ${selected.label}`);
  }
}

export function gateChoices(input: Pick<StageInput, 'graph' | 'node'>): HumanChoice[] {
  return outgoingEdges(input.graph, input.node.id).map((edge) => {
    const label = attrString(edge.attrs, 'label') || edge.to;
    return { key: acceleratorKey(label), label, to: edge.to };
  });
}

function gateQuestion(input: StageInput, choices: HumanChoice[]): Question {
  const question: Question = {
    text: attrString(input.node.attrs, 'label') || 'Select an option:',
    type: 'multiple_choice',
    options: choices.map(({ key, label }) => ({ key, label })),
    stage: input.node.id,
    metadata: { node_id: input.node.id, choices },
  };
  const timeoutMs = attrDurationMs(input.node.attrs, 'timeout');
  if (timeoutMs !== undefined) question.timeout_seconds = timeoutMs / 1000;
  return question;
}

function timeoutOutcome(defaultChoice: string, choices: HumanChoice[]): Outcome {
  if (!defaultChoice) return { status: 'retry', failure_reason: 'human gate timeout, no default' };
  const selected =
    choices.find((choice) => choice.to === defaultChoice) ?? matchText(defaultChoice, choices);
  if (!selected) {
    return { status: 'retry', failure_reason: `human gate timeout, human.default_choice "${defaultChoice}" matches no choice` };
  }
  return selectedOutcome(selected, `Timed out; default choice: ${selected.label}`);
}

function matchAnswer(answer: Answer, choices: HumanChoice[]): HumanChoice | undefined {
  const option = answer.selected_option;
  if (option) {
    const byOption = choices.find((choice) => choice.key === option.key && choice.label === option.label);
    if (byOption) return byOption;
  }
  return matchText(answer.value, choices) ?? (answer.text ? matchText(answer.text, choices) : undefined);
}

/** A key (any case) or a label (compared normalized, so `[A] Approve`, `approve` and `A) Approve` agree). */
function matchText(text: string, choices: HumanChoice[]): HumanChoice | undefined {
  const key = text.trim().toUpperCase();
  const label = normalizeLabel(text);
  // Labels first: two labels may share an accelerator key, but a full label is unambiguous.
  return (
    choices.find((choice) => normalizeLabel(choice.label) === label) ??
    choices.find((choice) => choice.key.toUpperCase() === key)
  );
}

function selectedOutcome(selected: HumanChoice, notes: string): Outcome {
  return {
    status: 'success',
    preferred_label: selected.label,
    suggested_next_ids: [selected.to],
    context_updates: { 'human.gate.selected': selected.key, 'human.gate.label': selected.label },
    notes,
  };
}
