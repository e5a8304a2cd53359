// `factory scenarios draft <spec dir> --out <dir>` (interactive shift): a spec-refinement agent
// drafts holdout scenarios from the spec directory (the change since --base, when given) and the
// files are written to --out — every one parses with the project's scenario schema — and the
// coverage table is printed. Keep --out outside the product repository: drafts are holdouts.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { resolveProvider } from '../core/agent/llm/resolve.ts';
import { coverageTable, draftScenarios } from '../core/validation/draft.ts';
import { HELP_OPTION, parseCommandArgs, singlePositional } from './args.ts';
import { CliError, EXIT_SUCCESS, EXIT_USAGE, UsageError } from './errors.ts';
import { writeLine, type CliIO } from './output.ts';
import { readSpecTree, specDiff } from './spec-tree.ts';

export const SCENARIOS_USAGE = `Usage: factory scenarios draft <spec dir> --out <dir> [--base <git ref>] [--model <spec>]

Drafts happy, edge and failure holdout scenarios from the spec directory (only its statements
added since --base, when given), writes them to --out as <category>/<id>.md (each one parses with
the scenario schema) and prints which spec statements each covers and which none covers.

Options:
  --out <dir>      where the drafts go (an empty or new directory; keep it out of the product repository)
  --base <ref>     draft for the change since this git ref
  --model <spec>   the drafting agent (default validation.model), provider/model or scripted:<file>
  -h, --help       show this help

Exit status: 0 drafts written, 2 bad input or no usable draft.`;

const OPTIONS = { ...HELP_OPTION, out: { type: 'string' }, base: { type: 'string' }, model: { type: 'string' } } as const;

export async function scenariosCommand(argv: string[], io: CliIO): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === '--help' || sub === '-h') {
    writeLine(io.stdout, SCENARIOS_USAGE);
    return EXIT_SUCCESS;
  }
  if (sub !== 'draft') throw new UsageError(`factory scenarios: expected the subcommand draft, got ${sub === undefined ? 'nothing' : `"${sub}"`} (see factory scenarios --help)`);
  const { values, positionals } = parseCommandArgs('scenarios draft', rest, OPTIONS);
  if (values.help) {
    writeLine(io.stdout, SCENARIOS_USAGE);
    return EXIT_SUCCESS;
  }
  const specArg = singlePositional('scenarios draft', positionals, '<spec dir>');
  if (!values.out) throw new UsageError('factory scenarios draft: missing --out <dir> (see factory scenarios --help)');
  const out = resolve(values.out);
  if (existsSync(out) && readdirSync(out).length > 0) throw new UsageError(`factory scenarios draft: ${values.out} is not empty; drafts go into an empty or new directory`);
  const tree = readSpecTree('scenarios draft', specArg);
  const diff = values.base === undefined ? '' : specDiff('scenarios draft', tree, values.base);
  const files = tree.files.filter((file) => file.path.startsWith(`${tree.specDir}/`) || tree.specDir === '.');
  const model = values.model ?? tree.config?.validation.model;
  if (!model) throw new UsageError('factory scenarios draft: no model: pass --model or set validation.model in .github/factory.yml');
  let resolved;
  try {
    resolved = resolveProvider(model, io.env);
  } catch (error) {
    throw new UsageError(`factory scenarios draft: ${(error as Error).message}`);
  }
  let result;
  try {
    result = await draftScenarios({ files, diff, provider: resolved.provider, model: resolved.model });
  } catch (error) {
    throw new CliError(`factory scenarios draft: ${(error as Error).message}`, EXIT_USAGE);
  }
  for (const reject of result.rejected) writeLine(io.stderr, `factory scenarios draft: draft ${reject.index + 1} left out: ${reject.issues.map((issue) => `${issue.field || '(file)'} expected ${issue.expected}`).join('; ')}`);
  if (result.drafts.length === 0) throw new CliError('factory scenarios draft: no usable draft (every one failed the scenario schema)', EXIT_USAGE);
  for (const draft of result.drafts) {
    const target = join(out, draft.file);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, draft.text, { flag: 'wx' });
  }
  writeLine(io.stdout, `Drafted ${result.drafts.length} scenario(s) into ${values.out}:`);
  for (const draft of result.drafts) writeLine(io.stdout, `  ${draft.file}`);
  writeLine(io.stdout, '');
  writeLine(io.stdout, coverageTable(result));
  return EXIT_SUCCESS;
}
