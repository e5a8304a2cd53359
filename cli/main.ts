// The `factory` command: picks the subcommand, runs it, and turns every error into one line and an
// exit code (contracts.md §1, security.md "What bad input gets").
import { CheckpointError, ConfigurationError, DotSyntaxError } from '../core/engine/errors.ts';
import { demoCommand } from './demo.ts';
import { CliError, EXIT_FAILURE, EXIT_SUCCESS, EXIT_USAGE } from './errors.ts';
import { lintCommand } from './lint.ts';
import { processIO, writeLine, type CliIO } from './output.ts';
import { renderCommand } from './render.ts';
import { reviewCommand } from './review.ts';
import { scenariosCommand } from './scenarios.ts';
import { runCommand } from './run.ts';
import { validateCommand } from './validate.ts';
import { twinsCommand } from './twins.ts';
import { toolVersion } from './version.ts';

type Command = (argv: string[], io: CliIO) => Promise<number>;

const COMMANDS: Readonly<Record<string, Command>> = {
  lint: lintCommand,
  run: runCommand,
  render: renderCommand,
  validate: validateCommand,
  demo: demoCommand,
  review: reviewCommand,
  scenarios: scenariosCommand,
  twins: twinsCommand,
};

export const USAGE = `Usage: factory <command> [options]

Commands:
  lint <graph.dot> [--json]                 check a pipeline graph
  run <graph.dot> --logs <dir> [options]    run a pipeline graph
  render <graph.dot> [--format svg|mermaid|dot] [--run <logs>] [--out <file>]
                                            draw a graph, optionally with a run's path
  validate --scenarios <dir> --artifact <factory.yml> [options]
                                            holdout validation against a local artifact
  demo [--out <dir>] [--model <spec>]       the whole loop on the example, locally
  review <spec dir> [--base <ref>] [--json] spec-readiness findings as file:line kind message
  scenarios draft <spec dir> --out <dir>    drafted holdout scenarios and their coverage table
  twins up [--config <file>]                start the declared twins, print their variables
  twins check <name> --recordings <file.jsonl> [--min n] [--json]
                                            a twin's fidelity against recorded exchanges

Options:
  -h, --help     show this help (factory <command> --help for a command's options)
  -v, --version  print the version`;

function reportError(error: unknown, io: CliIO): number {
  if (error instanceof CliError) {
    writeLine(io.stderr, error.message);
    return error.exitCode;
  }
  // Input problems the engine found where the CLI did not look for them first.
  if (error instanceof DotSyntaxError) {
    writeLine(io.stderr, error.describe());
    return EXIT_USAGE;
  }
  if (error instanceof ConfigurationError || error instanceof CheckpointError) {
    writeLine(io.stderr, error.message);
    return EXIT_USAGE;
  }
  const message = error instanceof Error ? error.message.split('\n', 1)[0] : String(error);
  writeLine(io.stderr, `factory: ${message} (internal error)`);
  if (io.env.FACTORY_DEBUG === '1' && error instanceof Error && error.stack) writeLine(io.stderr, error.stack);
  return EXIT_FAILURE;
}

/** Runs the command line `argv` (without node and the script path); resolves to the exit code. */
export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    writeLine(io.stderr, USAGE);
    return EXIT_USAGE;
  }
  if (first === '--help' || first === '-h' || first === 'help') {
    writeLine(io.stdout, USAGE);
    return EXIT_SUCCESS;
  }
  if (first === '--version' || first === '-v') {
    writeLine(io.stdout, toolVersion());
    return EXIT_SUCCESS;
  }
  const command = COMMANDS[first];
  if (!command) {
    const what = first.startsWith('-') ? `unknown option ${first}` : `unknown command "${first}"`;
    writeLine(io.stderr, `factory: ${what} (commands: ${Object.keys(COMMANDS).join(', ')}; see factory --help)`);
    return EXIT_USAGE;
  }
  try {
    return await command(rest, io);
  } catch (error) {
    return reportError(error, io);
  }
}
