// `factory demo` (contracts.md §1, issue 7 §2): the whole loop on the shipped example, locally.
// The default graph builds LinkShort from its spec in a fresh copy, the built service is started per
// trial, the holdout scenarios judge it, and the report, the path, the spend and a drawing come out.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { modelCatalog } from '../core/agent/llm/catalog.ts';
import { parseFactoryConfig, type FactoryConfig } from '../core/domain/config.ts';
import type { RunResult } from '../core/engine/run/run-dir.ts';
import { formatSummary } from '../core/validation/report.ts';
import type { RunResult as ValidationResult } from '../core/validation/types.ts';
import { HELP_OPTION, noPositionals, parseCommandArgs } from './args.ts';
import { chooseDemoModels, DEMO_PROVIDER_MODELS } from './demo-models.ts';
import { EXIT_FAILURE, EXIT_SUCCESS, UsageError } from './errors.ts';
import { formatDuration, writeLine, type CliIO } from './output.ts';
import { addSpend, formatSpend } from './progress.ts';
import { withProcessEnv } from './process-env.ts';
import { renderCommand } from './render.ts';
import { runCommand } from './run.ts';
import { validateLocally } from './validate.ts';
import { validationProgress } from './validation-progress.ts';

const PACKAGE_ROOT = fileURLToPath(new URL('..', import.meta.url));
const EXAMPLE = join(PACKAGE_ROOT, 'examples', 'linkshort');
const SCENARIOS = join(PACKAGE_ROOT, 'examples', 'linkshort-holdouts', 'scenarios');
const RECORDINGS = {
  factory: join(PACKAGE_ROOT, 'examples', 'recordings', 'factory.script.json'),
  validation: join(PACKAGE_ROOT, 'examples', 'recordings', 'validation.script.json'),
};
const GRAPH = join(PACKAGE_ROOT, 'graphs', 'factory.dot');
/** The variable the default graph's check stage runs (graphs/factory.dot). */
const CHECK_COMMAND_VARIABLE = 'FACTORY_CHECK_COMMAND';

export const DEMO_USAGE = `Usage: factory demo [--out <dir>] [--model <spec>]

The whole loop on the example product (examples/linkshort), locally and without a GitHub account:
the default graph (graphs/factory.dot) builds the service from its spec in a fresh copy, the built
service is started, the 19 holdout scenarios of examples/linkshort-holdouts judge it, and the
satisfaction report, the requests the service made to its URL-safety twin, the path the graph
took, tokens and cost are printed. The product copy, the
run directory and a drawing of the run (run.svg) stay in the output directory.

With no ANTHROPIC_API_KEY or OPENAI_API_KEY it replays the recorded model sessions in
examples/recordings (no network, no cost); with a key set it uses that provider for real.

Options:
  --out <dir>     where to work (new or empty; default: a new temporary directory)
  --model <spec>  the model for the run and the validation, e.g. anthropic/<model>, openai/<model>
                  or scripted:<file>
  -h, --help      show this help

Exit status: 0 the gate passes, 1 the run or the gate fails, 2 bad input.`;

const OPTIONS = {
  ...HELP_OPTION,
  out: { type: 'string' },
  model: { type: 'string' },
} as const;

function exampleConfig(): FactoryConfig {
  const path = join(EXAMPLE, '.github', 'factory.yml');
  const parsed = parseFactoryConfig(readFileSync(path, 'utf8'));
  if (!parsed.ok) throw new Error(`the shipped example's config ${path} is invalid`);
  return parsed.config;
}

function prepareOutDir(requested: string | undefined): string {
  if (requested === undefined) return mkdtempSync(join(tmpdir(), 'factory-demo-'));
  const dir = resolve(requested);
  if (existsSync(dir) && readdirSync(dir).length > 0) throw new UsageError(`factory demo: --out ${requested} is not empty; choose a new or empty directory`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

function readRunResult(logs: string): RunResult | null {
  try {
    return JSON.parse(readFileSync(join(logs, 'result.json'), 'utf8')) as RunResult;
  } catch {
    return null;
  }
}

/** A replay bills nothing; what the same tokens cost at a real model's list price is the useful figure. */
function recordedCostNote(result: RunResult): string {
  if (!result.usage) return '';
  const [provider, model] = DEMO_PROVIDER_MODELS.anthropic.split('/') as [string, string];
  const cost = modelCatalog().costOf(provider, model, result.usage);
  return cost === null ? ' (replayed: nothing billed)' : ` (replayed: nothing billed; about $${cost.toFixed(2)} at ${model} list prices)`;
}

/** Requests the artifact made to its twins over every trial (a count: no scenario detail). */
function twinTrafficCount(result: ValidationResult): number {
  return result.scenarios.reduce((sum, scenario) => sum + scenario.trials.reduce((count, trial) => count + (trial.twinTraffic?.length ?? 0), 0), 0);
}

function shortPath(path: string): string {
  const fromHere = relative(process.cwd(), path);
  return fromHere.startsWith('..') ? path : fromHere || '.';
}

export async function demoCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs('demo', argv, OPTIONS);
  if (values.help) {
    writeLine(io.stdout, DEMO_USAGE);
    return EXIT_SUCCESS;
  }
  noPositionals('demo', positionals);
  const models = chooseDemoModels(values.model, io.env, RECORDINGS);
  const config = exampleConfig();
  const out = prepareOutDir(values.out);
  const workdir = join(out, 'linkshort');
  const logs = join(out, 'run');
  const drawing = join(out, 'run.svg');
  cpSync(EXAMPLE, workdir, { recursive: true });
  // Whatever `node` comes first on the user's PATH, the product's build, tests and server get this one.
  const childPath = `${dirname(process.execPath)}${delimiter}${io.env.PATH ?? ''}`;
  const env = { ...io.env, PATH: childPath, [CHECK_COMMAND_VARIABLE]: config.factory.check_command ?? 'npm test' };
  const startedAt = Date.now();

  writeLine(io.stdout, 'factory demo: the whole loop on LinkShort, a link shortener specified in examples/linkshort/spec');
  writeLine(io.stdout, models.explanation);
  writeLine(io.stdout, `Working in ${out}`);
  writeLine(io.stdout, '');
  writeLine(io.stdout, `[1/3] Build: ${shortPath(GRAPH)} turns the spec into a working service`);
  const runArgs = [GRAPH, '--model', models.factory, '--logs', logs, '--workdir', workdir, '--max-usd', String(config.factory.budget.max_usd)];
  const runStatus = await withProcessEnv({ PATH: childPath, [CHECK_COMMAND_VARIABLE]: env[CHECK_COMMAND_VARIABLE] }, () => runCommand(runArgs, { ...io, env }));
  const result = readRunResult(logs);
  if (result) await renderCommand([GRAPH, '--run', logs, '--out', drawing], io);
  if (runStatus !== EXIT_SUCCESS || result?.status !== 'success') {
    writeLine(io.stdout, '');
    writeLine(io.stdout, `The factory run did not succeed, so there is nothing to validate.${result ? ` The drawing of where it stopped: ${drawing}` : ''}`);
    return EXIT_FAILURE;
  }

  writeLine(io.stdout, '');
  writeLine(io.stdout, `[2/3] Validate: the holdout scenarios (${shortPath(SCENARIOS)}) exercise the running service, ${config.validation.trials} trials each`);
  const progress = validationProgress(io.stderr);
  let evaluation;
  let validation;
  try {
    ({ evaluation, result: validation } = await validateLocally({
      config,
      configPath: join(workdir, '.github', 'factory.yml'),
      scenariosDir: SCENARIOS,
      model: models.validation,
      trials: config.validation.trials,
      concurrency: config.validation.concurrency,
      env,
      onTrialDone: progress.onTrialDone,
    }));
  } finally {
    progress.stop();
  }

  const safe = evaluation.leakSafe;
  const spend = formatSpend(addSpend({ tokens: 0, cost: undefined }, result.usage, result.cost_usd)) || 'no model calls';
  writeLine(io.stdout, '');
  writeLine(io.stdout, '[3/3] Report');
  for (const line of formatSummary(safe)) writeLine(io.stdout, line);
  const twinNames = Object.keys(config.twins);
  if (twinNames.length > 0) writeLine(io.stdout, `Twin traffic: ${twinTrafficCount(validation)} request(s) from the service to its twin(s) ${twinNames.join(', ')}, recorded per trial (detailed report only)`);
  writeLine(io.stdout, `Path: ${result.completed_nodes.join(' → ')}`);
  writeLine(io.stdout, `Factory run: ${spend}${models.recorded ? recordedCostNote(result) : ''}`);
  writeLine(io.stdout, `Drawing of the run: ${drawing}`);
  writeLine(io.stdout, `Built service: ${workdir} (npm start); run directory: ${logs}`);
  writeLine(io.stdout, `Done in ${formatDuration(Date.now() - startedAt)}: the gate ${safe.decision === 'pass' ? 'passes' : 'fails'}.`);
  return safe.decision === 'pass' ? EXIT_SUCCESS : EXIT_FAILURE;
}
