// Commands the contract names that arrive with later parts of the product.
import { EXIT_USAGE } from './errors.ts';
import { writeLine, type CliIO } from './output.ts';

export function notAvailableYet(command: string): (argv: string[], io: CliIO) => Promise<number> {
  return async (_argv, io) => {
    writeLine(io.stderr, `factory ${command} is not available yet`);
    return EXIT_USAGE;
  };
}
