// `factory twins up [--config f]` and `factory twins check <name> --recordings <file.jsonl>
// [--min 0.95] [--json] [--config f]` (contracts.md §1, issue 18 §3–4): the declared twins started
// locally with their variables printed, and a twin's fidelity against recorded real exchanges.
import { readFileSync } from 'node:fs';
import { artifactEnvironment } from '../core/validation/artifact.ts';
import { formatMismatch, parseRecordings, RecordingsError, replayRecordings, type RecordedExchange } from '../core/validation/twins/fidelity.ts';
import { startTwins, TwinError, type TwinSession } from '../core/validation/twins/session.ts';
import type { FactoryConfig } from '../core/domain/config.ts';
import { HELP_OPTION, noPositionals, parseCommandArgs, singlePositional } from './args.ts';
import { checkoutOf, readConfigFile } from './config-file.ts';
import { EXIT_FAILURE, EXIT_SUCCESS, UsageError } from './errors.ts';
import { writeLine, type CliIO } from './output.ts';

export const TWINS_USAGE = `Usage: factory twins up [--config <factory.yml>]
       factory twins check <name> --recordings <file.jsonl> [--min <0..1>] [--json] [--config <factory.yml>]

up      starts every twin declared under \`twins:\` (from the checkout holding the config), prints
        the variables the product reads (each twin's \`env\`, \${port} filled in) and keeps them
        running until interrupted (Ctrl-C).
check   replays recorded real exchanges, one JSON object per line
        {"request":{"method","path","headers"?,"body"?},"response":{"status","body"?}}, in order
        against one fresh instance of the twin, compares the status and the JSON body (the twin's
        \`volatile\` keys ignored at any depth), and prints the fidelity (matching / all) with one
        line per mismatch.

Options:
  --config <file>       the config declaring the twins (default .github/factory.yml)
  --recordings <file>   check: the recorded exchanges (JSON lines)
  --min <n>             check: the fidelity that passes, 0 to 1 (default 1)
  --json                check: {"twin","fidelity","total","matched","mismatches":[{"index","field","expected","actual"}]}
  -h, --help            show this help

Exit status: up 0 when stopped by a signal, 1 a twin did not start; check 0 fidelity ≥ --min,
1 below; 2 bad input.`;

const OPTIONS = {
  ...HELP_OPTION,
  config: { type: 'string' },
  recordings: { type: 'string' },
  min: { type: 'string' },
  json: { type: 'boolean' },
} as const;

const DEFAULT_CONFIG = '.github/factory.yml';

function twinsOf(config: FactoryConfig, path: string): FactoryConfig['twins'] {
  if (Object.keys(config.twins).length === 0) throw new UsageError(`factory twins: ${path} declares no twins (add a \`twins:\` section; see docs/twins.md)`);
  return config.twins;
}

function parseMin(text: string | undefined): number {
  if (text === undefined) return 1;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0 || value > 1) throw new UsageError(`factory twins check: --min must be a number from 0 to 1, got "${text}"`);
  return value;
}

function waitForSignal(): Promise<NodeJS.Signals> {
  return new Promise((done) => {
    const handler = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
      done(signal);
    };
    process.on('SIGINT', handler);
    process.on('SIGTERM', handler);
  });
}

async function up(configPath: string, io: CliIO): Promise<number> {
  const config = readConfigFile('twins up', configPath);
  const twins = twinsOf(config, configPath);
  let session: TwinSession;
  try {
    session = await startTwins({ twins, cwd: checkoutOf(configPath), env: artifactEnvironment(io.env), record: false });
  } catch (error) {
    if (error instanceof TwinError) {
      writeLine(io.stderr, `factory twins up: ${error.message}`);
      return EXIT_FAILURE;
    }
    throw error;
  }
  for (const name of session.names) writeLine(io.stdout, `# twin ${name}: ${session.urls[name]}`);
  for (const [variable, value] of Object.entries(session.env)) writeLine(io.stdout, `${variable}=${value}`);
  writeLine(io.stderr, `factory twins up: ${session.names.length} twin(s) running; Ctrl-C stops them`);
  await waitForSignal();
  await session.stop();
  return EXIT_SUCCESS;
}

async function check(name: string, values: { config?: string; recordings?: string; min?: string; json?: boolean }, io: CliIO): Promise<number> {
  if (!values.recordings) throw new UsageError('factory twins check: missing --recordings <file.jsonl> (see factory twins --help)');
  const min = parseMin(values.min);
  const configPath = values.config ?? DEFAULT_CONFIG;
  const config = readConfigFile('twins check', configPath);
  const twin = twinsOf(config, configPath)[name];
  if (!twin) throw new UsageError(`factory twins check: ${configPath} declares no twin "${name}" (declared: ${Object.keys(config.twins).join(', ')})`);
  let text: string;
  try {
    text = readFileSync(values.recordings, 'utf8');
  } catch (error) {
    throw new UsageError(`factory twins check: cannot read ${values.recordings}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  let recordings: RecordedExchange[];
  try {
    recordings = parseRecordings(text, values.recordings);
  } catch (error) {
    if (error instanceof RecordingsError) throw new UsageError(`factory twins check: ${error.message}`);
    throw error;
  }
  let session: TwinSession;
  try {
    session = await startTwins({ twins: config.twins, only: [name], cwd: checkoutOf(configPath), env: artifactEnvironment(io.env), record: false });
  } catch (error) {
    if (error instanceof TwinError) {
      writeLine(io.stderr, `factory twins check: ${error.message}`);
      return EXIT_FAILURE;
    }
    throw error;
  }
  let report;
  try {
    report = await replayRecordings(name, recordings, twin.volatile, (request) => session.send(name, request));
  } finally {
    await session.stop();
  }
  const passed = report.fidelity >= min - 1e-9;
  if (values.json) {
    writeLine(io.stdout, JSON.stringify(report));
  } else {
    writeLine(io.stdout, `twin ${name}: fidelity ${report.fidelity} (${report.matched} of ${report.total} exchanges match)`);
    for (const mismatch of report.mismatches) writeLine(io.stdout, `  ${formatMismatch(mismatch, recordings)}`);
    writeLine(io.stdout, passed ? `pass: fidelity ${report.fidelity} ≥ ${min}` : `fail: fidelity ${report.fidelity} < ${min}`);
  }
  return passed ? EXIT_SUCCESS : EXIT_FAILURE;
}

export async function twinsCommand(argv: string[], io: CliIO): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h') {
    writeLine(sub === undefined ? io.stderr : io.stdout, TWINS_USAGE);
    return sub === undefined ? 2 : EXIT_SUCCESS;
  }
  if (sub !== 'up' && sub !== 'check') throw new UsageError(`factory twins: unknown subcommand "${sub}" (up, check; see factory twins --help)`);
  const { values, positionals } = parseCommandArgs(`twins ${sub}`, rest, OPTIONS);
  if (values.help) {
    writeLine(io.stdout, TWINS_USAGE);
    return EXIT_SUCCESS;
  }
  if (sub === 'up') {
    noPositionals('twins up', positionals);
    for (const flag of ['recordings', 'min', 'json'] as const) if (values[flag] !== undefined) throw new UsageError(`factory twins up: --${flag} belongs to factory twins check`);
    return up(values.config ?? DEFAULT_CONFIG, io);
  }
  const name = singlePositional('twins check', positionals, '<name>');
  return check(name, values, io);
}
