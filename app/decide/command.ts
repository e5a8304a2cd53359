// Whether a `/factory` comment is obeyed, refused or ignored: pure, over facts the handler gathered.
import { isAllowedIn, placesOf, type CommandParse, type CommandPlace, type ParsedCommand } from '../../core/domain/commands.ts';
import type { FactoryConfig } from '../../core/domain/config.ts';

export interface CommentFacts {
  parse: CommandParse;
  senderLogin: string;
  senderIsBot: boolean;
}

/** Bots are ignored unless the config lists them; anything else that looks like a command is answered. */
export function shouldIgnore(facts: CommentFacts, config: FactoryConfig | null): boolean {
  if (facts.parse.kind === 'none') return true;
  if (!facts.senderIsBot) return false;
  return !(config?.commands.bots ?? []).includes(facts.senderLogin);
}

export type CommandDecision =
  | { kind: 'refuse'; reason: string }
  | { kind: 'accept'; command: ParsedCommand };

export function decideCommand(parse: CommandParse, place: CommandPlace | 'fork', isWriter: boolean, config: FactoryConfig | null): CommandDecision {
  if (parse.kind === 'none') return { kind: 'refuse', reason: 'not a command' };
  if (!isWriter) return { kind: 'refuse', reason: '`/factory` commands are accepted from users with write, maintain or admin permission on this repository.' };
  if (parse.kind === 'error') return { kind: 'refuse', reason: parse.message };
  const { command } = parse;
  if (command.name === 'help') return { kind: 'accept', command };
  if (place === 'fork') return { kind: 'refuse', reason: 'The factory does not act on pull requests from forks.' };
  if (!isAllowedIn(command.name, place)) {
    return { kind: 'refuse', reason: `\`/factory ${command.name}\` works on ${placesOf(command.name)}.` };
  }
  if (config === null && command.name !== 'status') return { kind: 'refuse', reason: 'The repository has no valid `.github/factory.yml` on its default branch.' };
  const allowed = config?.commands.overrides ?? [];
  for (const key of ['model', 'trials'] as const) {
    if (command.args[key] !== undefined && !allowed.includes(key)) {
      return { kind: 'refuse', reason: `\`${key}=\` is not allowed here: the config's \`commands.overrides\` does not list it.` };
    }
  }
  return { kind: 'accept', command };
}
