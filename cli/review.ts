// `factory review <spec dir> [--base <git ref>] [--json]` (contracts.md §1, interactive shift): the
// spec-readiness review, locally. The critics read the spec directory, the factory config and graph
// and the diff against --base — never source, never scenarios — and every finding prints as
// `file:line kind message`. Exit 0 no blocking finding, 1 blocking findings, 2 bad input.
import { resolveProvider } from '../core/agent/llm/resolve.ts';
import { reviewFailed, runSpecReview, type Critic } from '../core/agent/review/review.ts';
import { countFindings, formatFinding } from '../core/domain/review.ts';
import { HELP_OPTION, parseCommandArgs, singlePositional } from './args.ts';
import { CliError, EXIT_FAILURE, EXIT_SUCCESS, EXIT_USAGE, UsageError } from './errors.ts';
import { writeLine, type CliIO } from './output.ts';
import { readSpecTree, specDiff } from './spec-tree.ts';

export const REVIEW_USAGE = `Usage: factory review <spec dir> [--base <git ref>] [--json] [--model <spec>]…

Asks the configured critics (review.models in .github/factory.yml, or --model, repeatable) to read
the spec directory, the factory config and graph, and the diff against --base, and prints their
merged findings as \`file:line kind message\`: gap, ambiguity, contradiction or untestable.

Options:
  --base <ref>     review the change since this git ref (its diff is shown to the critics)
  --json           print {"ok","findings","counts","critics"} as one JSON object
  --model <spec>   a critic (provider/model or scripted:<file>); repeat for several
  --max-usd <n>    stop asking further critics once this much is spent (default review.max_usd)
  -h, --help       show this help

Exit status: 0 no blocking finding, 1 blocking findings, 2 bad input.`;

const OPTIONS = {
  ...HELP_OPTION,
  base: { type: 'string' },
  json: { type: 'boolean' },
  model: { type: 'string', multiple: true },
  'max-usd': { type: 'string' },
} as const;

export async function reviewCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs('review', argv, OPTIONS);
  if (values.help) {
    writeLine(io.stdout, REVIEW_USAGE);
    return EXIT_SUCCESS;
  }
  const specArg = singlePositional('review', positionals, '<spec dir>');
  const tree = readSpecTree('review', specArg);
  const diff = values.base === undefined ? '' : specDiff('review', tree, values.base);
  const models = values.model?.length ? values.model : tree.config?.review.models ?? [];
  if (models.length === 0) throw new UsageError('factory review: no critic: pass --model or set review.models in .github/factory.yml');
  let maxUsd = tree.config?.review.max_usd;
  if (values['max-usd'] !== undefined) {
    maxUsd = Number(values['max-usd']);
    if (!Number.isFinite(maxUsd) || maxUsd <= 0) throw new UsageError(`factory review: --max-usd must be a positive number, got "${values['max-usd']}"`);
  }
  const critics: Critic[] = models.map((name) => {
    try {
      const resolved = resolveProvider(name, io.env);
      return { name, provider: resolved.provider, model: resolved.model };
    } catch (error) {
      throw new UsageError(`factory review: ${(error as Error).message}`);
    }
  });
  for (const path of tree.skipped) writeLine(io.stderr, `factory review: left out ${path} (binary or larger than 256 KiB)`);
  const result = await runSpecReview({ input: { files: tree.files, diff }, critics, ...(maxUsd !== undefined ? { maxUsd } : {}) });
  const failed = reviewFailed(result);
  if (failed) throw new CliError(`factory review: no critic answered usably: ${failed}`, EXIT_USAGE);
  for (const critic of result.critics) {
    if (critic.error) writeLine(io.stderr, `factory review: critic ${critic.critic} failed: ${critic.error}`);
    if (critic.dropped > 0) writeLine(io.stderr, `factory review: critic ${critic.critic}: ${critic.dropped} finding(s) cited no line under review and were dropped`);
  }
  for (const name of result.skipped) writeLine(io.stderr, `factory review: critic ${name} not asked: the budget of $${maxUsd} was spent`);
  const blocking = result.findings.some((finding) => finding.blocking);
  if (values.json) {
    writeLine(io.stdout, JSON.stringify({
      ok: !blocking, findings: result.findings, counts: countFindings(result.findings),
      critics: result.critics.map(({ usage: _usage, ...report }) => report), usage: result.usage, cost_usd: result.costUsd,
    }));
  } else {
    for (const finding of result.findings) writeLine(io.stdout, formatFinding(finding));
    const counts = countFindings(result.findings);
    writeLine(io.stderr, `${result.findings.length} finding(s): ${Object.entries(counts).map(([kind, n]) => `${n} ${kind}`).join(', ')}; ${result.findings.filter((f) => f.blocking).length} blocking`);
  }
  return blocking ? EXIT_FAILURE : EXIT_SUCCESS;
}
