// Engine overhead per stage: a 2,000-stage linear graph run in simulate mode (no backend,
// auto-approving interviewer), against writing the same run directory with plain fs calls.
// Target (quality.md): engine ≤ 1.5× the plain-fs baseline.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AutoApproveInterviewer, PipelineEngine } from '../core/engine/index.ts';
import { linearDot } from './support/graphs.ts';
import { emit, emitRatio, note } from './support/report.ts';
import { readRunDirShape, writeRunDirPlain, type RunDirShape } from './support/run-dir-baseline.ts';
import { collectGarbage, median, timeOnce } from './support/timing.ts';

const BENCH = 'engine-overhead';
const STAGES = Number(process.env.BENCH_STAGES ?? 2000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

const source = linearDot(STAGES);
const engine = new PipelineEngine({ interviewer: new AutoApproveInterviewer() });
const { graph } = engine.prepareOrRaise(source, 'linear.dot');
const root = mkdtempSync(join(tmpdir(), 'spec-factory-bench-'));
let runNumber = 0;

async function runEngine(): Promise<{ ms: number; stages: number; dir: string }> {
  const dir = join(root, `engine-${runNumber++}`);
  let stages = 0;
  collectGarbage();
  const ms = await timeOnce(async () => {
    const result = await engine.run(graph, { logsRoot: dir, graphSource: source, graphPath: 'linear.dot' });
    if (result.status !== 'success') throw new Error(`engine run ended ${result.status}: ${result.failure_reason ?? ''}`);
    stages = result.completed_nodes.length;
  });
  return { ms, stages, dir };
}

async function runBaseline(shape: RunDirShape): Promise<number> {
  const dir = join(root, `plain-${runNumber++}`);
  collectGarbage();
  let lines = 0;
  const ms = await timeOnce(async () => {
    lines = writeRunDirPlain(dir, shape);
  });
  if (lines !== shape.eventLines) throw new Error(`baseline wrote ${lines} event lines, the engine ${shape.eventLines}`);
  rmSync(dir, { recursive: true, force: true });
  return ms;
}

try {
  // Warm-up: one engine run, which also gives the baseline its shape, and one baseline run.
  const warm = await runEngine();
  const shape = readRunDirShape(warm.dir);
  rmSync(warm.dir, { recursive: true, force: true });
  await runBaseline(shape);

  const engineMs: number[] = [];
  const plainMs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const run = await runEngine();
    rmSync(run.dir, { recursive: true, force: true });
    engineMs.push(run.ms);
    plainMs.push(await runBaseline(shape));
    note(`${BENCH}: run ${i + 1}/${RUNS}: engine ${run.ms.toFixed(0)} ms, plain fs ${plainMs.at(-1)!.toFixed(0)} ms`);
  }

  // Per executed node (the 2,000 stages plus start and exit), in microseconds.
  const stages = warm.stages;
  const enginePerStage = (median(engineMs) * 1000) / stages;
  const plainPerStage = (median(plainMs) * 1000) / stages;
  emit({ bench: BENCH, metric: 'engine_per_stage', value: enginePerStage, unit: 'µs' });
  emit({ bench: BENCH, metric: 'plain_fs_per_stage', value: plainPerStage, unit: 'µs' });
  emitRatio(BENCH, 'engine_vs_plain_fs_per_stage', enginePerStage, plainPerStage, 'µs');
} finally {
  rmSync(root, { recursive: true, force: true });
}
