// The flags of `factory run`, checked for combinations and values before anything runs.
import { statSync } from 'node:fs';
import { HELP_OPTION, parseCommandArgs, singlePositional } from './args.ts';
import { UsageError } from './errors.ts';
import { requireDirectory } from './input-files.ts';

export const RUN_USAGE = `Usage: factory run <graph.dot> --logs <dir> [--workdir <dir>]
                   [--simulate | --stub <stub.json> | --model <provider/model | scripted:file>]
                   [--auto-approve | --answers <answers.json>] [--resume]
                   [--events <file.jsonl>] [--max-usd <n>] [--max-tokens <n>]
                   [--catalog <file.json>] [--steer <file>] [--config <factory.yml> | --no-twins]
                   [--quiet] [--json]

Runs a pipeline graph. Refuses a graph with lint errors.

Options:
  --logs <dir>         run directory: manifest, checkpoint, events, per-stage files (required)
  --workdir <dir>      working directory for tool and agent stages (default: current directory)
  --simulate           LLM stages answer with a canned response; tool stages really run (default)
  --stub <file>        outcomes per node from a JSON file; other nodes run as with --simulate
  --model <p/m>        real LLM stages through a coding agent: anthropic/<model>, openai/<model>,
                       openai-compatible/<model> (keys from the environment), or scripted:<file>
                       to replay model turns from a JSON file; it serves every LLM stage, over the
                       graph's model stylesheet and llm_provider/llm_model attributes
  --auto-approve       human gates take their first choice
  --answers <file>     answers per human gate from a JSON file (default: ask on the terminal)
  --resume             continue from <logs>/checkpoint.json without re-running completed stages: a
                       failed, budget-stopped, cancelled or crashed run re-enters at the stage
                       that did not complete (give a raised --max-usd after a budget stop)
  --events <file>      also append every event to this JSONL file
  --max-usd <n>        stop the run once it has spent more than this; refused up front when a
                       model's price is not in the model catalog
  --max-tokens <n>     stop the run once its stages have used more tokens (input + output) than this
  --catalog <file>     extend or override the model catalog (context windows, prices):
                       {"models": {"<provider>/<model>": {"context_window", "max_output",
                       "usd_per_mtok": {"input", "output", "cache_read", "cache_write"}}}}
  --steer <file>       steer the running stages: every line appended to this file reaches the
                       model at its next tool round
  --config <file>      the product's factory.yml whose \`twins\` the run starts (default
                       <workdir>/.github/factory.yml when it exists); tool stages and the
                       agents' shell get the twins' variables
  --no-twins           start no twins (graphs/twin.dot builds one that does not run yet)
  --quiet              print only the final result line
  --json               print only the final result as one JSON object
  -h, --help           show this help

Exit status: 0 success, 1 fail, cancelled or waiting, 2 usage error or unreadable input.`;

const OPTIONS = {
  ...HELP_OPTION,
  logs: { type: 'string' },
  workdir: { type: 'string' },
  simulate: { type: 'boolean' },
  stub: { type: 'string' },
  model: { type: 'string' },
  'auto-approve': { type: 'boolean' },
  answers: { type: 'string' },
  resume: { type: 'boolean' },
  events: { type: 'string' },
  'max-usd': { type: 'string' },
  config: { type: 'string' },
  'no-twins': { type: 'boolean' },
  'max-tokens': { type: 'string' },
  catalog: { type: 'string' },
  steer: { type: 'string' },
  quiet: { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

export type Backend = { kind: 'simulate' } | { kind: 'stub'; path: string } | { kind: 'model'; spec: string };
export type Answering = { kind: 'console' } | { kind: 'auto-approve' } | { kind: 'answers'; path: string };

export interface RunCliOptions {
  graphPath: string;
  logs: string;
  workdir?: string;
  backend: Backend;
  answering: Answering;
  resume: boolean;
  events?: string;
  maxUsd?: number;
  /** The config whose twins the run starts (`--config`). */
  config?: string;
  /** `--no-twins`: start none. */
  noTwins?: boolean;
  maxTokens?: number;
  catalog?: string;
  steer?: string;
  output: 'human' | 'quiet' | 'json';
}

function exclusive(flags: Array<[string, unknown]>): void {
  const given = flags.filter(([, value]) => value !== undefined && value !== false).map(([flag]) => flag);
  if (given.length > 1) throw new UsageError(`factory run: ${given.join(' and ')} cannot be used together`);
}

function parseMaxUsd(text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0) throw new UsageError(`factory run: --max-usd must be a non-negative number, not "${text}"`);
  return value;
}

function parseMaxTokens(text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value <= 0) throw new UsageError(`factory run: --max-tokens must be a positive whole number, not "${text}"`);
  return value;
}

function checkEventsPath(path: string): void {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch {
    return; // created by the run
  }
  if (isDirectory) throw new UsageError(`--events ${path}: is a directory, not a file`);
}

/** undefined when --help was asked for. */
export function readRunOptions(argv: string[]): RunCliOptions | undefined {
  const { values, positionals } = parseCommandArgs('run', argv, OPTIONS);
  if (values.help) return undefined;
  const graphPath = singlePositional('run', positionals, '<graph.dot>');
  if (values.logs === undefined) throw new UsageError('factory run: --logs <dir> is required (see factory run --help)');
  exclusive([['--simulate', values.simulate], ['--stub', values.stub], ['--model', values.model]]);
  exclusive([['--auto-approve', values['auto-approve']], ['--answers', values.answers]]);
  if (values.model !== undefined && values.model.trim() === '') throw new UsageError('factory run: --model needs <provider/model> or scripted:<file>');
  if (values.workdir !== undefined) requireDirectory(values.workdir, '--workdir');
  if (values.events !== undefined) checkEventsPath(values.events);

  const options: RunCliOptions = {
    graphPath,
    logs: values.logs,
    backend: values.stub !== undefined ? { kind: 'stub', path: values.stub } : values.model !== undefined ? { kind: 'model', spec: values.model } : { kind: 'simulate' },
    answering: values.answers !== undefined ? { kind: 'answers', path: values.answers } : values['auto-approve'] ? { kind: 'auto-approve' } : { kind: 'console' },
    resume: values.resume ?? false,
    output: values.json ? 'json' : values.quiet ? 'quiet' : 'human',
  };
  if (values.workdir !== undefined) options.workdir = values.workdir;
  if (values.events !== undefined) options.events = values.events;
  exclusive([['--config', values.config], ['--no-twins', values['no-twins']]]);
  if (values.config !== undefined) options.config = values.config;
  if (values['no-twins']) options.noTwins = true;
  if (values['max-usd'] !== undefined) options.maxUsd = parseMaxUsd(values['max-usd']);
  if (values['max-tokens'] !== undefined) options.maxTokens = parseMaxTokens(values['max-tokens']);
  if (values.catalog !== undefined) options.catalog = values.catalog;
  if (values.steer !== undefined) {
    checkEventsPath(values.steer);
    options.steer = values.steer;
  }
  return options;
}
