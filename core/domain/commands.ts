// The `/factory` command grammar (contracts.md §6). Only the first line of a comment counts; it is
// parsed into a fixed grammar (never interpolated anywhere), with `key=value` arguments from a
// fixed list per command.
import { z } from 'zod';
import { MAX_STEERING_CHARS } from './steering.ts';

export const COMMAND_PREFIX = '/factory';

/** Where a command may be used. */
export type CommandPlace = 'issue' | 'spec-pr' | 'factory-pr';

interface CommandSpec {
  summary: string;
  places: readonly CommandPlace[];
  args: readonly ArgName[];
  /** `answer <key>` takes one bare word. */
  positional?: string;
  /** `steer <text>` takes the rest of the first line as free text (never parsed for arguments). */
  text?: string;
}

const ARG_SCHEMAS = {
  trials: z.string().regex(/^[1-9][0-9]?$/, 'a whole number from 1 to 99'),
  model: z.string().regex(/^[\w.-]+\/[\w.:-]+$/, 'provider/model, e.g. anthropic/claude-sonnet-4'),
  run: z.string().regex(/^[1-9][0-9]*$/, 'a workflow run id'),
  check: z.string().regex(/^[1-9][0-9]*$/, 'a check run id'),
  /** `/factory run force=true`: start although the last spec review had a blocking finding. */
  force: z.string().regex(/^(true|false)$/, 'true or false'),
  /** `--fresh` (resume issue): start over instead of resuming a failed, cancelled or budget-stopped run. */
  fresh: z.literal('true', 'given as the flag `--fresh`'),
  /** `--max-usd N` (resume issue): the run's spending limit, raised above the config's if need be. */
  'max-usd': z.string().regex(/^(?:[1-9][0-9]{0,5}|0)(?:\.[0-9]{1,2})?$/, 'an amount in USD, e.g. 80 or 12.50').refine((text) => Number(text) > 0, 'an amount above 0'),
} as const;

/** Flags (`--name` or `--name value`) and the arguments they stand for. */
const FLAGS: Readonly<Record<string, { arg: ArgName; takesValue: boolean }>> = {
  '--fresh': { arg: 'fresh', takesValue: false },
  '--max-usd': { arg: 'max-usd', takesValue: true },
};

export type ArgName = keyof typeof ARG_SCHEMAS;

export const COMMANDS = {
  run: { summary: 'start a factory run (issue: default branch head; spec PR: preview of the PR head); `force=true` overrides a blocking spec review', places: ['issue', 'spec-pr'], args: ['model', 'force'] },
  rerun: {
    summary: 'resume the last run when it failed, was cancelled or stopped at its budget; otherwise (or with `--fresh`) a fresh run for the same spec commit; `--max-usd N` sets its budget',
    places: ['factory-pr'], args: ['model', 'fresh', 'max-usd'],
  },
  validate: { summary: 'run the holdout validation on the PR head', places: ['factory-pr'], args: ['trials', 'model'] },
  resume: { summary: 'continue the last run from its checkpoint', places: ['factory-pr'], args: ['run'] },
  cancel: { summary: "cancel this PR's workflow runs and close its open checks", places: ['factory-pr'], args: [] },
  status: { summary: 'report the checks and workflow runs', places: ['issue', 'spec-pr', 'factory-pr'], args: [] },
  answer: { summary: 'answer a parked human gate (on an issue or spec PR, with the check=… its question names)', places: ['issue', 'spec-pr', 'factory-pr'], args: ['check', 'run'], positional: '<key>' },
  scenarios: { summary: 'draft holdout scenarios for this spec PR: a pull request on the holdouts repository', places: ['spec-pr'], args: [] },
  steer: { summary: 'a message to the running factory run; its agent reads it at its next tool round', places: ['issue', 'factory-pr'], args: [], text: '<text>' },
  help: { summary: 'this list', places: ['issue', 'spec-pr', 'factory-pr'], args: [] },
} as const satisfies Record<string, CommandSpec>;

export type CommandName = keyof typeof COMMANDS;
export const COMMAND_NAMES = Object.keys(COMMANDS) as CommandName[];

export interface ParsedCommand {
  name: CommandName;
  args: Partial<Record<ArgName, string>>;
  /** The `<key>` of `answer`. */
  positional?: string;
  /** The message of `steer`. */
  text?: string;
}

export type CommandParse =
  | { kind: 'none' }
  | { kind: 'command'; command: ParsedCommand }
  | { kind: 'error'; name?: CommandName; message: string };

function isCommandName(word: string): word is CommandName {
  return Object.hasOwn(COMMANDS, word);
}

export function usage(name: CommandName): string {
  const spec: CommandSpec = COMMANDS[name];
  const parts = [`${COMMAND_PREFIX} ${name}`];
  if (spec.positional) parts.push(spec.positional);
  if (spec.text) parts.push(spec.text);
  parts.push(...spec.args.map((arg) => `[${argUsage(arg)}]`));
  return parts.join(' ');
}

const PLACE_NAMES: Record<CommandPlace, string> = { issue: 'issues', 'spec-pr': 'spec PRs', 'factory-pr': 'factory PRs' };

export function helpText(): string {
  const lines = COMMAND_NAMES.map((name) => {
    const spec: CommandSpec = COMMANDS[name];
    return `| \`${usage(name)}\` | ${spec.summary} | ${spec.places.map((place) => PLACE_NAMES[place]).join(', ')} |`;
  });
  return ['| command | what it does | where |', '|---|---|---|', ...lines,
    '', 'Only the first line of a comment is read. Commands are accepted from users with write, maintain or admin permission.'].join('\n');
}

const ACCEPTED = `Accepted commands: ${COMMAND_NAMES.map((name) => `\`${name}\``).join(', ')}.`;

/** Parses the first line of a comment body. Never throws. */
export function parseCommand(body: string): CommandParse {
  const firstLine = (body.split(/\r?\n/, 1)[0] ?? '').trim();
  const words = firstLine.split(/\s+/).filter((word) => word !== '');
  if (words[0] !== COMMAND_PREFIX) return { kind: 'none' };
  const [, word, ...given] = words;
  const rest = flagsAsArguments(given);
  if (word === undefined) return { kind: 'error', message: `\`${COMMAND_PREFIX}\` needs a command. ${ACCEPTED}` };
  if (!isCommandName(word)) {
    return { kind: 'error', message: `Unknown command \`${word.slice(0, 40)}\`. ${ACCEPTED}` };
  }
  const spec: CommandSpec = COMMANDS[word];
  if (spec.text) {
    const text = firstLine.replace(/^\S+\s+\S+/, '').trim();
    if (text === '') return { kind: 'error', name: word, message: `\`${COMMAND_PREFIX} ${word}\` needs ${spec.text}. Usage: \`${usage(word)}\`.` };
    if (text.length > MAX_STEERING_CHARS) return { kind: 'error', name: word, message: `The message of \`${COMMAND_PREFIX} ${word}\` is longer than ${MAX_STEERING_CHARS} characters.` };
    return { kind: 'command', command: { name: word, args: {}, text } };
  }
  const args: Partial<Record<ArgName, string>> = {};
  let positional: string | undefined;
  const accepted = spec.args.length === 0 ? 'it takes no arguments'
    : `it accepts ${spec.args.map((arg) => `\`${argUsage(arg)}\``).join(', ')}`;
  for (const token of rest) {
    const eq = token.indexOf('=');
    if (eq < 0) {
      if (spec.positional && positional === undefined && /^[\w.-]{1,40}$/.test(token)) {
        positional = token;
        continue;
      }
      return { kind: 'error', name: word, message: `Unexpected \`${token.slice(0, 40)}\` in \`${COMMAND_PREFIX} ${word}\`: ${accepted}. Usage: \`${usage(word)}\`.` };
    }
    const key = token.slice(0, eq);
    const value = token.slice(eq + 1);
    if (!(spec.args as readonly string[]).includes(key)) {
      return { kind: 'error', name: word, message: `Unknown argument \`${key.slice(0, 40)}\` for \`${COMMAND_PREFIX} ${word}\`: ${accepted}.` };
    }
    const argName = key as ArgName;
    if (args[argName] !== undefined) {
      return { kind: 'error', name: word, message: `\`${argName}\` is given twice.` };
    }
    const checked = ARG_SCHEMAS[argName].safeParse(value);
    if (!checked.success) {
      return { kind: 'error', name: word, message: `\`${argName}\` must be ${checked.error.issues[0]?.message ?? 'valid'}.` };
    }
    args[argName] = value;
  }
  if (spec.positional && positional === undefined) {
    return { kind: 'error', name: word, message: `\`${COMMAND_PREFIX} ${word}\` needs ${spec.positional}. Usage: \`${usage(word)}\`.` };
  }
  return { kind: 'command', command: { name: word, args, ...(positional === undefined ? {} : { positional }) } };
}

function argUsage(arg: ArgName): string {
  const flag = Object.entries(FLAGS).find(([, spec]) => spec.arg === arg);
  if (!flag) return `${arg}=…`;
  return flag[1].takesValue ? `${flag[0]} N` : flag[0];
}

/** `--fresh` → `fresh=true`, `--max-usd 80` and `--max-usd=80` → `max-usd=80`; anything else as it is. */
function flagsAsArguments(tokens: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const eq = token.indexOf('=');
    const flag = FLAGS[eq < 0 ? token : token.slice(0, eq)];
    if (!flag) {
      out.push(token);
    } else if (!flag.takesValue) {
      out.push(eq < 0 ? `${flag.arg}=true` : `${flag.arg}=${token.slice(eq + 1)}`);
    } else if (eq >= 0) {
      out.push(`${flag.arg}=${token.slice(eq + 1)}`);
    } else {
      out.push(`${flag.arg}=${tokens[i + 1] ?? ''}`);
      i++;
    }
  }
  return out;
}

export function isAllowedIn(name: CommandName, place: CommandPlace): boolean {
  return (COMMANDS[name].places as readonly CommandPlace[]).includes(place);
}

export function placesOf(name: CommandName): string {
  return (COMMANDS[name].places as readonly CommandPlace[]).map((place) => PLACE_NAMES[place]).join(', ');
}
