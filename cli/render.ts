// `factory render <graph.dot> [--format svg|mermaid|dot] [--run <logs>] [--out <file>]` (contracts.md §1).
import { writeFileSync } from 'node:fs';
import { PipelineEngine } from '../core/engine/pipeline.ts';
import { buildRunOverlay, renderDot, renderMermaid, type RunOverlay } from '../core/engine/render/index.ts';
import { HELP_OPTION, parseCommandArgs, singlePositional } from './args.ts';
import { EXIT_SUCCESS, UsageError } from './errors.ts';
import { prepareGraph, readGraphSource } from './load-graph.ts';
import { writeLine, type CliIO } from './output.ts';
import { loadRunRecord } from './run-record.ts';
import { dotToSvg } from './svg.ts';

export const RENDER_USAGE = `Usage: factory render <graph.dot> [--format svg|mermaid|dot] [--run <logs>] [--out <file>]

Draws a pipeline graph. With --run, marks the path the run took and each stage's outcome.

Options:
  --format <f>  svg (default), mermaid or dot
  --run <dir>   a run's logs directory (reads checkpoint.json and result.json)
  --out <file>  write to this file instead of stdout
  -h, --help    show this help`;

const OPTIONS = {
  ...HELP_OPTION,
  format: { type: 'string', default: 'svg' },
  run: { type: 'string' },
  out: { type: 'string' },
} as const;

const FORMATS = ['svg', 'mermaid', 'dot'] as const;
type Format = (typeof FORMATS)[number];

function isFormat(value: string): value is Format {
  return (FORMATS as readonly string[]).includes(value);
}

function writeOutput(path: string, text: string): void {
  try {
    writeFileSync(path, text);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const problem = code === 'ENOENT' ? 'its directory does not exist' : code === 'EISDIR' ? 'is a directory' : (error as Error).message;
    throw new UsageError(`--out ${path}: cannot write: ${problem}`);
  }
}

export async function renderCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs('render', argv, OPTIONS);
  if (values.help) {
    writeLine(io.stdout, RENDER_USAGE);
    return EXIT_SUCCESS;
  }
  const path = singlePositional('render', positionals, '<graph.dot>');
  const format = values.format;
  if (!isFormat(format)) throw new UsageError(`factory render: --format must be one of ${FORMATS.join(', ')}, not "${format}"`);

  const source = readGraphSource(path);
  const { graph } = prepareGraph(new PipelineEngine(), path, source);
  let overlay: RunOverlay | undefined;
  if (values.run !== undefined) {
    const { record, warning } = loadRunRecord(values.run, graph, source);
    if (warning) writeLine(io.stderr, warning);
    overlay = buildRunOverlay(graph, record);
  }

  const text = format === 'mermaid' ? renderMermaid(graph, overlay) : format === 'dot' ? renderDot(graph, overlay) : await dotToSvg(renderDot(graph, overlay));
  if (values.out !== undefined) writeOutput(values.out, text);
  else io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  return EXIT_SUCCESS;
}
