// Asks in a terminal (Attractor §6.4): prints the question and its options, reads a line, and
// accepts a key or a label. End of input means nobody will answer: SKIPPED.
import { systemClock, type Clock } from '../clock.ts';
import { acceleratorKey } from '../labels.ts';
import { AnswerValue, type Answer, type Interviewer, type Question } from '../interviewer.ts';
import { answerFromChoice } from './answer-from-choice.ts';
import { askInOrder } from './ask-in-order.ts';
import { LineReader } from './line-reader.ts';

export interface ConsoleInterviewerOptions {
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
  clock?: Clock;
}

const TIMED_OUT = Symbol('timed out');

export class ConsoleInterviewer implements Interviewer {
  readonly #input: NodeJS.ReadableStream;
  readonly #output: NodeJS.WritableStream;
  readonly #clock: Clock;
  #reader: LineReader | undefined;

  constructor(options: ConsoleInterviewerOptions = {}) {
    this.#input = options.input ?? process.stdin;
    this.#output = options.output ?? process.stdout;
    this.#clock = options.clock ?? systemClock;
  }

  async ask(question: Question): Promise<Answer> {
    this.#output.write(renderQuestion(question));
    const deadline = new AbortController();
    const timedOut =
      question.timeout_seconds === undefined
        ? new Promise<never>(() => undefined)
        : this.#clock.sleep(question.timeout_seconds * 1000, deadline.signal).then(
            (): typeof TIMED_OUT => TIMED_OUT,
            () => new Promise<never>(() => undefined),
          );
    const reading = new AbortController();
    try {
      while (true) {
        this.#output.write(promptFor(question));
        const line = await Promise.race([this.#lines().next(reading.signal), timedOut]);
        if (line === TIMED_OUT) {
          reading.abort();
          this.#output.write('\n(no answer in time)\n');
          return question.default ?? { value: AnswerValue.TIMEOUT };
        }
        if (line === null) return { value: AnswerValue.SKIPPED };
        const answer = parseLine(question, line);
        if (answer) return answer;
        this.#output.write(hintFor(question));
      }
    } finally {
      deadline.abort();
    }
  }

  askMultiple(questions: Question[]): Promise<Answer[]> {
    return askInOrder((q) => this.ask(q), questions);
  }

  inform(message: string, stage: string): void {
    this.#output.write(`[i] ${stage}: ${message}\n`);
  }

  /** Stops reading the input stream. */
  close(): void {
    this.#reader?.close();
  }

  #lines(): LineReader {
    this.#reader ??= new LineReader(this.#input);
    return this.#reader;
  }
}

function renderQuestion(question: Question): string {
  const lines = [`[?] ${question.text}`];
  if (question.type === 'multiple_choice') for (const option of question.options) lines.push(`  ${labelWithKey(option.key, option.label)}`);
  if (question.default) lines.push(`  (default: ${question.default.selected_option?.label ?? question.default.value})`);
  return `${lines.join('\n')}\n`;
}

function promptFor(question: Question): string {
  if (question.type === 'multiple_choice') return 'Select: ';
  if (question.type === 'freeform') return '> ';
  return '[Y/N]: ';
}

function hintFor(question: Question): string {
  if (question.type === 'multiple_choice') return `Please answer with one of: ${question.options.map((o) => o.key).join(', ')}\n`;
  return 'Please answer y or n.\n';
}

/** The answer a line gives, or undefined when it does not answer the question. */
function parseLine(question: Question, line: string): Answer | undefined {
  if (line.trim() === '' && question.default) return question.default;
  const answer = answerFromChoice(question, line);
  if (question.type === 'freeform') return answer;
  if (question.type === 'multiple_choice') return answer.selected_option ? answer : undefined;
  return answer.value === AnswerValue.YES || answer.value === AnswerValue.NO ? answer : undefined;
}

/** `[K] label`, unless the label already shows its accelerator key (`[K] …`, `K) …`, `K - …`). */
function labelWithKey(key: string, label: string): string {
  return acceleratorKey(label) === key && /^\s*(\[[^\]]\]|[A-Za-z0-9]\)|[A-Za-z0-9]\s+-\s)/.test(label) ? label : `[${key}] ${label}`;
}
