// One benchmark figure per stdout line, in the format of contracts.md §10.

export interface Figure {
  bench: string;
  metric: string;
  value: number;
  unit: string;
  /** The same quantity measured in the same run on the same machine, for comparison. */
  baseline?: number;
  /** value / baseline. */
  ratio?: number;
}

/** Rounds to a few significant digits so lines stay readable without losing the comparison. */
export function round(value: number, digits = 4): number {
  if (!Number.isFinite(value) || value === 0) return value;
  return Number(value.toPrecision(digits));
}

export function emit(figure: Figure): void {
  const line: Figure = { bench: figure.bench, metric: figure.metric, value: round(figure.value), unit: figure.unit };
  if (figure.baseline !== undefined) line.baseline = round(figure.baseline);
  if (figure.ratio !== undefined) line.ratio = round(figure.ratio, 3);
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

/** A figure compared against its baseline: the ratio is value / baseline. */
export function emitRatio(bench: string, metric: string, value: number, baseline: number, unit: string): void {
  emit({ bench, metric, value, unit, baseline, ratio: value / baseline });
}

/** Progress and diagnostics go to stderr so stdout carries only figures. */
export function note(message: string): void {
  process.stderr.write(`${message}\n`);
}
