// Parse + transform + validate (`PipelineEngine.prepare`): the real factory graph warm, and
// factory-shaped synthetic graphs of 1,000 to 10,000 nodes, with the growth of the time per node.
// Targets (quality.md): factory graph ≤ 10 ms warm; 10,000 nodes ≤ 1 s; linear growth.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { applyTransforms, BUILT_IN_RULES, goalExpansionTransform, parseDot, PipelineEngine, stylesheetTransform, validate } from '../core/engine/index.ts';
import type { Graph, LintEnv } from '../core/engine/index.ts';
import { factoryShapedDot, phasesFor } from './support/graphs.ts';
import { emit, emitRatio, note } from './support/report.ts';
import { timeSync, type RepeatOptions } from './support/timing.ts';

const BENCH = 'parse-lint';
const SIZES = [1000, 2000, 5000, 10000];
/** Growth above this counts as clearly super-linear and gets a per-rule / per-transform breakdown. */
const SUPER_LINEAR = 1.5;
const DETAIL = process.env.BENCH_DETAIL === '1';

const engine = new PipelineEngine();
const env: LintEnv = { knownTypes: new Set(engine.registry.types()), extraAttributes: new Set() };

function repeatFor(nodes: number): RepeatOptions {
  if (nodes <= 100) return { warmup: 20, minRuns: 50, maxRuns: 500, minTotalMs: 500 };
  if (nodes <= 2000) return { warmup: 3, minRuns: 7, maxRuns: 30, minTotalMs: 1000 };
  return { warmup: 1, minRuns: 5, maxRuns: 9, minTotalMs: 2000 };
}

function checkPrepares(source: string, what: string): number {
  const { graph, diagnostics } = engine.prepare(source);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(`${what} does not validate: ${errors.map((d) => `${d.rule}: ${d.message}`).join('; ')}`);
  note(`${BENCH}: ${what}: ${graph.nodes.size} nodes, ${graph.edges.length} edges, ${diagnostics.length} warnings`);
  return graph.nodes.size;
}

// (a) The real factory graph when the repository has one; and always a factory-shaped synthetic
// graph of 52 nodes, the size the target names, so the figure stays comparable as graphs/factory.dot changes.
const factoryPath = fileURLToPath(new URL('../graphs/factory.dot', import.meta.url));
if (existsSync(factoryPath)) {
  const source = readFileSync(factoryPath, 'utf8');
  const nodes = checkPrepares(source, 'graphs/factory.dot');
  emit({ bench: BENCH, metric: 'factory_dot_prepare', value: timeSync(() => engine.prepare(source), repeatFor(nodes)), unit: 'ms' });
}
const smallSource = factoryShapedDot(5);
const smallNodes = checkPrepares(smallSource, 'synthetic factory graph');
emit({ bench: BENCH, metric: `synthetic_${smallNodes}_nodes_prepare`, value: timeSync(() => engine.prepare(smallSource), repeatFor(smallNodes)), unit: 'ms' });

// (b) Synthetic graphs of growing size, same shape.
interface Sample {
  nodes: number;
  source: string;
  ms: number;
}
const samples: Sample[] = [];
for (const size of SIZES) {
  const source = factoryShapedDot(phasesFor(size));
  const nodes = checkPrepares(source, `synthetic ${size}`);
  const ms = timeSync(() => engine.prepare(source), repeatFor(nodes));
  samples.push({ nodes, source, ms });
  emit({ bench: BENCH, metric: `synthetic_${size}_nodes_prepare`, value: ms, unit: 'ms' });
}

const small = samples[0]!;
const large = samples.at(-1)!;
const perNode = (ms: number, nodes: number) => (ms * 1000) / nodes;
const growth = (metric: string, smallMs: number, largeMs: number): number => {
  const baseline = perNode(smallMs, small.nodes);
  const value = perNode(largeMs, large.nodes);
  emitRatio(BENCH, metric, value, baseline, 'µs/node');
  return value / baseline;
};
growth(`growth_${SIZES.at(-1)}_vs_${SIZES[0]}`, small.ms, large.ms);

// Phases, measured separately at both ends: parse, transforms, validate.
interface Phases {
  parsed: Graph;
  transformed: Graph;
}
function phasesOf(sample: Sample): Phases {
  const parsed = parseDot(sample.source).graph;
  return { parsed, transformed: applyTransforms(parsed) };
}
const phases = [phasesOf(small), phasesOf(large)] as const;
const bothEnds = (fn: (sample: Sample, phase: Phases) => unknown): [number, number] => [
  timeSync(() => fn(small, phases[0]), repeatFor(small.nodes)),
  timeSync(() => fn(large, phases[1]), repeatFor(large.nodes)),
];

const parseGrowth = growth('growth_parse', ...bothEnds((sample) => parseDot(sample.source)));
const transformGrowth = growth('growth_transforms', ...bothEnds((_, phase) => applyTransforms(phase.parsed)));
const validateGrowth = growth('growth_validate', ...bothEnds((_, phase) => validate(phase.transformed, { knownTypes: env.knownTypes })));
note(`${BENCH}: growth parse ${parseGrowth.toFixed(2)}, transforms ${transformGrowth.toFixed(2)}, validate ${validateGrowth.toFixed(2)}`);

if (DETAIL || transformGrowth > SUPER_LINEAR) {
  for (const transform of [stylesheetTransform, goalExpansionTransform]) {
    growth(`growth_transform_${transform.name}`, ...bothEnds((_, phase) => transform.apply(phase.parsed)));
  }
}
if (DETAIL || validateGrowth > SUPER_LINEAR) {
  for (const rule of BUILT_IN_RULES) {
    const [smallMs, largeMs] = bothEnds((_, phase) => rule.apply(phase.transformed, env));
    emit({ bench: BENCH, metric: `rule_${rule.name}_${SIZES.at(-1)}_nodes`, value: largeMs, unit: 'ms' });
    growth(`growth_rule_${rule.name}`, smallMs, largeMs);
  }
}
