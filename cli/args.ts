// Argument parsing for every command through node:util parseArgs; its errors become usage errors.
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { UsageError } from './errors.ts';

type Parsed<O extends ParseArgsOptionsConfig> = ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>>;

export const HELP_OPTION = { help: { type: 'boolean', short: 'h' } } as const satisfies ParseArgsOptionsConfig;

function describeParseError(command: string, error: Error): string {
  const code = (error as NodeJS.ErrnoException).code;
  const option = /'(-{1,2}[^' ]+)/.exec(error.message)?.[1];
  const hint = `(see factory ${command} --help)`;
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) return `factory ${command}: unknown option ${option} ${hint}`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) return `factory ${command}: option ${option} needs a value ${hint}`;
  return `factory ${command}: ${error.message.split('\n', 1)[0]} ${hint}`;
}

export function parseCommandArgs<O extends ParseArgsOptionsConfig>(command: string, argv: string[], options: O): Parsed<O> {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true }) as Parsed<O>;
  } catch (error) {
    if (error instanceof TypeError && String((error as NodeJS.ErrnoException).code).startsWith('ERR_PARSE_ARGS')) {
      throw new UsageError(describeParseError(command, error));
    }
    throw error;
  }
}

/** Exactly one positional argument, named in the error when missing or doubled. */
export function singlePositional(command: string, positionals: string[], name: string): string {
  if (positionals.length === 0) throw new UsageError(`factory ${command}: missing ${name} (see factory ${command} --help)`);
  if (positionals.length > 1) throw new UsageError(`factory ${command}: unexpected argument "${positionals[1]}" (only one ${name})`);
  return positionals[0]!;
}

/** A command that takes options only: any positional argument is a usage error. */
export function noPositionals(command: string, positionals: string[]): void {
  if (positionals.length > 0) throw new UsageError(`factory ${command}: unexpected argument "${positionals[0]}" (see factory ${command} --help)`);
}
