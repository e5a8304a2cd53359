// The interactive shift's Action commands, behind one entry so main.ts only routes: `review` (spec
// and config only, the product side), `scenarios` and `drift` (holdouts side, the scenarios token).
import type { ActionCommand } from './inputs.ts';
import type { ShiftDependencies, ShiftOutputs } from './shift-types.ts';
import { driftCommand } from './drift.ts';
import { reviewCommand } from './review.ts';
import { scenariosCommand } from './scenarios.ts';

export type { ShiftDependencies, ShiftOutputs } from './shift-types.ts';

export const SHIFT_COMMANDS = ['review', 'scenarios', 'drift'] as const satisfies readonly ActionCommand[];
export type ShiftCommand = (typeof SHIFT_COMMANDS)[number];

export function isShiftCommand(command: ActionCommand): command is ShiftCommand {
  return (SHIFT_COMMANDS as readonly string[]).includes(command);
}

export async function shiftCommand(command: ShiftCommand, deps: ShiftDependencies): Promise<ShiftOutputs> {
  switch (command) {
    case 'review':
      return reviewCommand(deps);
    case 'scenarios':
      return scenariosCommand(deps);
    case 'drift':
      return driftCommand(deps);
  }
}
