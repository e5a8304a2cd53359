// The Action's inputs as a shipped workflow template would pass them for one dispatch: the `with:`
// block of the template's step that runs the Action, with its `${{ … }}` expressions evaluated over
// the dispatch inputs, the workflow's `env:` and the values a runner would have (step outputs,
// github.token). An expression this cannot evaluate fails the test instead of passing an empty input.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

interface Workflow {
  env?: Record<string, string>;
  jobs: Record<string, { steps: Array<{ with?: Record<string, unknown> }> }>;
}

export interface TemplateRun {
  /** The workflow template file. */
  template: string;
  /** The job whose step with a `command:` input runs the Action. */
  job: string;
  dispatch: Record<string, string>;
  /** Values of other operands, by their expression text (e.g. `steps.app-token.outputs.token`). */
  runner: Record<string, string>;
}

function operand(name: string, run: TemplateRun, env: Record<string, string>): string {
  if (name.startsWith('inputs.')) return run.dispatch[name.slice('inputs.'.length)] ?? '';
  if (name.startsWith('env.') && env[name.slice('env.'.length)] !== undefined) return env[name.slice('env.'.length)]!;
  const value = run.runner[name];
  if (value === undefined) throw new Error(`${run.template}: no value for \`${name}\` in the test's runner context`);
  return value;
}

/** `a || b || …` over operands: the first non-empty one, as GitHub's expressions do for strings. */
function evaluate(expression: string, run: TemplateRun, env: Record<string, string>): string {
  for (const name of expression.split('||').map((part) => part.trim())) {
    const value = operand(name, run, env);
    if (value !== '') return value;
  }
  return '';
}

export function actionInputsFromTemplate(run: TemplateRun): Record<string, string> {
  const workflow = parse(readFileSync(run.template, 'utf8')) as Workflow;
  const env = workflow.env ?? {};
  const step = workflow.jobs[run.job]?.steps.find((candidate) => candidate.with?.command !== undefined);
  if (!step?.with) throw new Error(`${run.template}: job ${run.job} has no step running the Action`);
  return Object.fromEntries(Object.entries(step.with).map(([name, raw]) => [
    name,
    String(raw).replace(/\$\{\{(.*?)\}\}/g, (_, expression: string) => evaluate(expression, run, env)),
  ]));
}
