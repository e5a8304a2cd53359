// The Action's pure decisions: inputs, trailers, protected paths, model layers, stage figures,
// report limits, the post step.
import { describe, expect, it } from '@jest/globals';
import { pickRunArtifact, runArtifactName } from '../../action/artifact.ts';
import { ActionError } from '../../action/errors.ts';
import { feedbackPromptTransform } from '../../action/feedback-context.ts';
import { parseDot } from '../../core/engine/parser/index.ts';
import { readInputs } from '../../action/inputs.ts';
import { maxUsdOf } from '../../action/run.ts';
import { parseFactoryConfig } from '../../core/domain/config.ts';
import { planModels } from '../../action/models.ts';
import { postStepDecision } from '../../action/post-decision.ts';
import { CHECK_TEXT_LIMIT, progressOutput, pullRequestTitle, truncateForCheck } from '../../action/report.ts';
import { protectedViolations } from '../../action/stage-commits.ts';
import { emptyStageLog, foldStageEvent, totalsOf } from '../../action/stage-log.ts';
import { isHiddenFromTools, prepareToolEnvironment } from '../../action/tool-env.ts';
import { buildTrailers, parseTrailers, stageCommitMessage } from '../../action/trailers.ts';
import type { PipelineEvent } from '../../core/engine/events.ts';

const inputsFrom = (values: Record<string, string>) => (name: string) => values[name] ?? '';

describe('inputs', () => {
  it('reads reason as one of the dispatch reasons', () => {
    expect(readInputs(inputsFrom({ 'github-token': 't', reason: 'feedback' })).reason).toBe('feedback');
    expect(() => readInputs(inputsFrom({ 'github-token': 't', reason: 'later' }))).toThrow(/input `reason`: expected one of spec-merge, rerun, resume, feedback, command, got "later"/);
  });

  it('reads issue-number as a positive whole number', () => {
    expect(readInputs(inputsFrom({ 'github-token': 't', 'issue-number': '12' })).issueNumber).toBe(12);
    expect(() => readInputs(inputsFrom({ 'github-token': 't', 'issue-number': '#12' }))).toThrow(/input `issue-number`: expected a positive whole number/);
  });

  it('defaults to run with the default config path', () => {
    expect(readInputs(inputsFrom({ 'github-token': 't' }))).toEqual({ command: 'run', githubToken: 't', configPath: '.github/factory.yml' });
  });

  it('refuses feedback that is not leak-safe, naming the field', () => {
    const leaky = JSON.stringify({ version: 1, round: 1, categories: { happy: 0.5 }, tags: {}, spec: [], scenario_ids: ['s1'] });
    expect(() => readInputs(inputsFrom({ feedback: leaky }))).toThrow(/input `feedback`/);
    const unrounded = JSON.stringify({ version: 1, round: 1, categories: { happy: 0.51 }, tags: {}, spec: [] });
    expect(() => readInputs(inputsFrom({ feedback: unrounded }))).toThrow(/categories\.happy/);
  });

  it('accepts leak-safe feedback and checks numbers and shas', () => {
    const feedback = { version: 1, round: 2, categories: { edge: 0.65 }, tags: { timeout: 2 }, spec: ['spec/api.md#errors'] };
    expect(readInputs(inputsFrom({ feedback: JSON.stringify(feedback) })).feedback).toEqual(feedback);
    expect(() => readInputs(inputsFrom({ 'check-run-id': '12a' }))).toThrow(ActionError);
    expect(() => readInputs(inputsFrom({ 'spec-sha': 'abc' }))).toThrow(/spec-sha/);
    expect(() => readInputs(inputsFrom({ command: 'deploy' }))).toThrow(/run, validate, aggregate/);
    expect(() => readInputs(inputsFrom({ 'max-usd': '0' }))).toThrow(/max-usd/);
  });

  it('a writer\'s budget-usd (from /factory rerun --max-usd N) replaces the config\'s ceiling, and max-usd still lowers it', () => {
    const parsed = parseFactoryConfig('version: 1\nfactory:\n  budget: { max_usd: 50 }\n');
    if (!parsed.ok) throw new Error('the config should parse');
    const { config } = parsed;
    expect(maxUsdOf(config, readInputs(inputsFrom({ 'budget-usd': '80' })))).toBe(80);
    expect(maxUsdOf(config, readInputs(inputsFrom({ 'budget-usd': '80', 'max-usd': '60' })))).toBe(60);
    expect(maxUsdOf(config, readInputs(inputsFrom({ 'max-usd': '90' })))).toBe(50);
    expect(maxUsdOf(config, readInputs(inputsFrom({})))).toBe(50);
    expect(() => readInputs(inputsFrom({ 'budget-usd': 'lots' }))).toThrow(/input `budget-usd`: expected a positive number/);
  });
});

describe('trailers (contracts.md §9)', () => {
  const provenance = { run: 'https://github.example/o/r/actions/runs/1', specSha: 'a'.repeat(40), graphPath: 'factory/pipeline.dot', graphSha256: 'b'.repeat(64), nodeId: 'implement', model: 'anthropic/claude-sonnet-4-5' };

  it('carries run, spec, graph with hash prefix, node and model', () => {
    expect(buildTrailers(provenance)).toEqual([
      'Factory-Run: https://github.example/o/r/actions/runs/1',
      `Factory-Spec: ${'a'.repeat(40)}`,
      `Factory-Graph: factory/pipeline.dot@${'b'.repeat(12)}`,
      'Factory-Node: implement',
      'Factory-Model: anthropic/claude-sonnet-4-5',
    ]);
  });

  it('leaves out Factory-Model when no LLM stage made the change, and round-trips through a message', () => {
    const { model: _model, ...toolStage } = provenance;
    const parsed = parseTrailers(stageCommitMessage('Run the checks', { ...toolStage, nodeId: 'check' }));
    expect(parsed['Factory-Node']).toBe('check');
    expect(parsed).not.toHaveProperty('Factory-Model');
  });
});

describe('protected paths', () => {
  it('lists exactly the changed paths under the patterns', () => {
    const patterns = ['spec/**', 'factory/**', '.github/**', 'CODEOWNERS'];
    expect(protectedViolations(['src/a.ts', 'spec/README.md', '.github/workflows/x.yml', 'CODEOWNERS', 'docs/CODEOWNERS'], patterns))
      .toEqual(['spec/README.md', '.github/workflows/x.yml', 'CODEOWNERS']);
    expect(protectedViolations(['src/spec/a.ts'], patterns)).toEqual([]);
  });
});

describe('tool stage environment', () => {
  it('drops credentials and the Action inputs and sets the check command', () => {
    const env: NodeJS.ProcessEnv = { PATH: '/bin', 'INPUT_GITHUB-TOKEN': 'x', ANTHROPIC_API_KEY: 'k', ACTIONS_RUNTIME_TOKEN: 'r', HOME: '/h' };
    prepareToolEnvironment(env, 'npm test');
    expect(env).toEqual({ PATH: '/bin', HOME: '/h', FACTORY_CHECK_COMMAND: 'npm test' });
    expect(isHiddenFromTools('INPUT_SCENARIOS-TOKEN')).toBe(true);
  });
});

describe('model layers', () => {
  it('reads provider/model, stylesheets and scripts; refuses anything else with the input named', () => {
    expect(planModels(undefined, 'f.yml', 'openai/gpt-5').layers).toHaveLength(1);
    expect(planModels('* { llm_model: claude-sonnet-4-5; }', 'f.yml', undefined).layers).toHaveLength(1);
    expect(planModels(undefined, 'f.yml', 'scripted:/tmp/s.json').scripted).toBe('scripted:/tmp/s.json');
    expect(() => planModels(undefined, 'f.yml', 'gpt5')).toThrow(/input `models`/);
    expect(() => planModels('* { llm_model: ', 'f.yml', undefined)).toThrow(/f\.yml: `factory\.models`/);
  });
});

describe('stage figures', () => {
  const base = { ts: '2026-01-01T00:00:00.000Z', run_id: 'r' };
  const turn = (node: string, input: number, cost: number | null): PipelineEvent => ({ ...base, type: 'agent_turn', node_id: node, turn: 1, provider: 'p', model: 'm', finish_reason: 'stop', usage: { input_tokens: input, output_tokens: 1 }, cost_usd: cost, tool_calls: 0, text: '' });

  it('counts turns of a stage that failed mid-way and keeps retries of one visit in one row', () => {
    const events: PipelineEvent[] = [
      { ...base, type: 'stage_started', name: 'implement', index: 1, attempt: 1, handler: 'codergen' },
      turn('implement', 100, 0.5),
      { ...base, type: 'stage_failed', name: 'implement', index: 1, error: 'x', will_retry: true },
      { ...base, type: 'stage_started', name: 'implement', index: 1, attempt: 2, handler: 'codergen' },
      turn('implement', 50, 0.25),
      { ...base, type: 'stage_completed', name: 'implement', index: 1, duration_ms: 30, status: 'success' },
      { ...base, type: 'stage_started', name: 'review', index: 2, attempt: 1, handler: 'codergen' },
      turn('review', 10, null),
      { ...base, type: 'stage_failed', name: 'review', index: 2, error: 'budget', will_retry: false },
    ];
    const log = events.reduce(foldStageEvent, emptyStageLog());
    expect(log.rows.map((row) => [row.nodeId, row.status, row.attempts, row.tokensIn])).toEqual([['implement', 'success', 2, 150], ['review', 'fail', 1, 10]]);
    expect(totalsOf(log)).toMatchObject({ tokensIn: 160, costUsd: null });
    expect(log.rows[0]!.costUsd).toBe(0.75);
  });
});

describe('reports', () => {
  it('keeps check output within GitHub’s limit and points to the full summary', () => {
    const text = truncateForCheck('x'.repeat(CHECK_TEXT_LIMIT + 10), 'https://run');
    expect(text.length).toBe(CHECK_TEXT_LIMIT);
    expect(text.endsWith('the full summary is in the workflow run: https://run.')).toBe(true);
    expect(truncateForCheck('short', undefined)).toBe('short');
  });

  it('titles the PR from the spec heading', () => {
    expect(pullRequestTitle('Greeting service', 'abcdef1234')).toBe('factory: Greeting service');
    expect(pullRequestTitle(undefined, 'abcdef1234')).toBe('factory: implement spec abcdef1');
  });
});

describe('post step', () => {
  it('concludes an open check the main step left, and leaves a concluded one alone', () => {
    const open = postStepDecision({ command: 'run', runDir: '/t/run', checkpointExists: true, checkConcluded: false, checkRunId: '9' });
    expect(open.conclude).toMatchObject({ checkRunId: 9, title: 'Factory run stopped' });
    expect(postStepDecision({ command: 'run', runDir: '/t/run', checkpointExists: true, checkConcluded: true, checkRunId: '9' }).conclude).toBeUndefined();
    expect(postStepDecision({ command: 'run', checkpointExists: false, checkConcluded: false, checkRunId: '' }).conclude).toBeUndefined();
  });

  it('concludes an open check only for `run`: validate and aggregate conclude their own, the App sweeps a dead one', () => {
    for (const command of ['validate', 'aggregate']) {
      expect(postStepDecision({ command, checkpointExists: false, checkConcluded: false, checkRunId: '77' }).conclude).toBeUndefined();
    }
    // An empty `command` input is the default, `run`.
    expect(postStepDecision({ command: '', checkpointExists: false, checkConcluded: false, checkRunId: '77' }).conclude).toMatchObject({ checkRunId: 77 });
  });

  it('uploads a run directory that has a checkpoint, under the job attempt’s artifact name', () => {
    expect(postStepDecision({ command: 'run', runDir: '/t/run', checkpointExists: true, checkConcluded: true, checkRunId: '', artifactName: 'factory-run-5-2' }).upload).toEqual({ name: 'factory-run-5-2', runDir: '/t/run' });
    expect(postStepDecision({ command: 'run', runDir: '/t/run', checkpointExists: false, checkConcluded: true, checkRunId: '', artifactName: 'factory-run-5-2' }).upload).toBeUndefined();
    const noRunId = postStepDecision({ command: 'run', runDir: '/t/run', checkpointExists: true, checkConcluded: true, checkRunId: '' });
    expect(noRunId.upload).toBeUndefined();
    expect(noRunId.log.join('\n')).toContain('GITHUB_RUN_ID is not set');
  });
});

describe('feedback in refine prompts', () => {
  it('appends the block to refine stages only', () => {
    const { graph } = parseDot('digraph g { start [shape=Mdiamond]; refine [prompt="Fix it."]; polish [class="refine", prompt="Polish."]; implement [prompt="Build."]; start -> refine -> polish -> implement }');
    const feedback = { version: 1 as const, round: 3, categories: { happy: 0.9 }, tags: { timeout: 1 }, spec: [] };
    const result = feedbackPromptTransform(feedback).apply(graph);
    expect(result.nodes.get('refine')!.attrs.prompt).toContain(`Feedback from validation round 3`);
    expect(result.nodes.get('polish')!.attrs.prompt).toContain('"timeout":1');
    expect(result.nodes.get('implement')!.attrs.prompt).toBe('Build.');
    expect(graph.nodes.get('refine')!.attrs.prompt).toBe('Fix it.');
  });
});

describe('run artifacts', () => {
  it('names one per job attempt', () => {
    expect(runArtifactName('4242', '3')).toBe('factory-run-4242-3');
    expect(runArtifactName('4242', undefined)).toBe('factory-run-4242-1');
  });

  it('picks the newest unexpired factory-run artifact', () => {
    expect(pickRunArtifact([
      { id: 1, name: 'factory-run-1-1', expired: false, created_at: '2026-01-01T00:00:00Z' },
      { id: 2, name: 'factory-run-1-2', expired: false, created_at: '2026-01-02T00:00:00Z' },
      { id: 3, name: 'factory-run-1-3', expired: true, created_at: '2026-01-03T00:00:00Z' },
      { id: 4, name: 'coverage', expired: false, created_at: '2026-01-04T00:00:00Z' },
    ])?.id).toBe(2);
  });
});

describe('the in-progress factory check shows the context', () => {
  it('with the context in use, compactions (whose tokens count) and steering messages', () => {
    const base = { ts: '2026-01-01T00:00:00.000Z', run_id: 'r' };
    const events: PipelineEvent[] = [
      { ...base, type: 'stage_started', name: 'implement', index: 1, attempt: 1, handler: 'codergen' },
      { ...base, type: 'agent_turn', node_id: 'implement', turn: 1, provider: 'anthropic', model: 'm', finish_reason: 'tool_calls', usage: { input_tokens: 100, output_tokens: 10 }, cost_usd: 0.5, tool_calls: 1, text: '', context_percent: 81 },
      { ...base, type: 'context_compacted', node_id: 'implement', turn: 2, before_tokens: 13000, after_tokens: 4000, turns_removed: 5, reason: 'r', usage: { input_tokens: 50, output_tokens: 5 }, cost_usd: 0.25 },
      { ...base, type: 'steering_injected', node_id: 'implement', turn: 2, content: 'keep it small' },
      { ...base, type: 'agent_turn', node_id: 'implement', turn: 2, provider: 'anthropic', model: 'm', finish_reason: 'tool_calls', usage: { input_tokens: 40, output_tokens: 4 }, cost_usd: 0.25, tool_calls: 1, text: '', context_percent: 33 },
    ];
    const stages = events.reduce(foldStageEvent, emptyStageLog());
    expect(totalsOf(stages)).toMatchObject({ tokensIn: 190, tokensOut: 19, costUsd: 1 });
    const { summary } = progressOutput({ stage: 'implement', elapsedMs: 1000, stages, branch: 'factory/x', budget: { maxUsd: 5, maxMinutes: 30 } });
    expect(summary).toContain('**Context:** ctx 33 % · 1 compaction · 1 steering message');
  });
});
