// Errors the CLI reports as one line and an exit code, never with a stack trace (contracts.md §1).

export const EXIT_SUCCESS = 0;
/** The pipeline, lint or validation reached a failing result. */
export const EXIT_FAILURE = 1;
/** Usage error, or input that could not be read or parsed. */
export const EXIT_USAGE = 2;

export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode: number) {
    super(message);
    this.name = new.target.name;
    this.exitCode = exitCode;
  }
}

/** Bad arguments or bad input files: exit 2. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, EXIT_USAGE);
  }
}
