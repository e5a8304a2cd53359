// The shipped workflows against the contracts they wire together: the App's dispatch inputs
// (core/domain/dispatch.ts) and the Action's inputs and outputs (action.yml).
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ACTION_ERROR_CODES } from '../../action/errors.ts';
import { FactoryDispatchInputsSchema } from '../../core/domain/dispatch.ts';
import { REPO_ROOT } from './harness.ts';

interface Step { id?: string; uses?: string; with?: Record<string, unknown> }
interface Workflow { on: Record<string, { inputs?: Record<string, unknown>; outputs?: Record<string, unknown> }>; permissions: Record<string, string>; concurrency?: { group: string; 'cancel-in-progress': boolean }; jobs: Record<string, { steps: Step[] }> }
interface ActionYml { inputs: Record<string, unknown>; outputs: Record<string, unknown>; runs: Record<string, string> }

const load = <T>(path: string): T => parse(readFileSync(join(REPO_ROOT, path), 'utf8')) as T;
const action = load<ActionYml>('action.yml');
const template = load<Workflow>('templates/workflows/factory.yml');
const reusable = load<Workflow>('.github/workflows/factory-reusable.yml');

function factoryStep(workflow: Workflow): Step {
  const step = Object.values(workflow.jobs).flatMap((job) => job.steps).find((candidate) => candidate.id === 'factory');
  if (!step) throw new Error('no step with id factory');
  return step;
}

describe('action.yml', () => {
  it('runs the bundle on node24 with a post step', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/main.js', post: 'dist/post.js' });
  });

  it('has the run command’s inputs and outputs of contracts.md §3', () => {
    expect(Object.keys(action.inputs).sort()).toEqual(['check-run-id', 'command', 'config', 'feedback', 'github-token', 'graph', 'max-usd', 'budget-usd', 'models', 'pr-number', 'issue-number', 'reason', 'resume-run-id', 'spec-sha', 'answer', 'scenarios-repo', 'scenarios-ref', 'scenarios-token', 'shard', 'trials', 'base-sha', 'target-url'].sort());
    expect(Object.keys(action.outputs).sort()).toEqual(['branch', 'cost-usd', 'pr-number', 'run-dir', 'status', 'tokens-in', 'tokens-out', 'satisfaction', 'satisfaction-lower', 'gate', 'error-code'].sort());
  });

  it('names every stable error code in the `error-code` output and in the README’s table, and no other', () => {
    const codes = Object.keys(ACTION_ERROR_CODES).sort();
    const declared = (action.outputs['error-code'] as { description: string }).description;
    expect(codes.filter((code) => !new RegExp(`\\b${code}\\b`).test(declared))).toEqual([]);
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('#### Error codes'));
    const rows = [...table.slice(0, table.indexOf('\n\n', table.indexOf('| code |'))).matchAll(/^\| `([a-z_]+)` \| (.+) \|$/gm)];
    expect(rows.map((row) => row[1]).sort()).toEqual(codes);
    for (const row of rows) expect(row[2]!.replace(/'/g, '’')).toBe(ACTION_ERROR_CODES[row[1] as keyof typeof ACTION_ERROR_CODES].replace(/'/g, '’'));
    expect(Object.keys(reusable.on.workflow_call?.outputs ?? {})).toContain('error-code');
  });
});

describe('the factory workflow template and the reusable workflow', () => {
  it('accept every input the App dispatches (GitHub rejects a dispatch with an undeclared input)', () => {
    const declared = Object.keys(template.on.workflow_dispatch?.inputs ?? {}).sort();
    expect(declared).toEqual(Object.keys(FactoryDispatchInputsSchema.shape).sort());
  });

  it('pass only inputs the Action declares, cancel superseded runs, and ask for the least permissions', () => {
    for (const workflow of [template, reusable]) {
      const step = factoryStep(workflow);
      for (const name of Object.keys(step.with ?? {})) expect(Object.keys(action.inputs)).toContain(name);
      expect(workflow.permissions).toEqual({ contents: 'write', 'pull-requests': 'write', actions: 'read' });
    }
    expect(template.concurrency?.['cancel-in-progress']).toBe(true);
    expect(Object.keys(reusable.on.workflow_call?.inputs ?? {})).toEqual(expect.arrayContaining(['issue_number']));
  });

  it('leave the run directory’s upload to the Action’s post step (an artifact name is usable once per job)', () => {
    for (const workflow of [template, reusable]) {
      const uses = Object.values(workflow.jobs).flatMap((job) => job.steps).map((step) => step.uses ?? '');
      expect(uses.filter((name) => name.startsWith('actions/upload-artifact'))).toEqual([]);
      expect(factoryStep(workflow).with).toMatchObject({ 'issue-number': '${{ inputs.issue_number }}', reason: '${{ inputs.reason }}' });
    }
    expect(Object.keys(reusable.on)).toEqual(['workflow_call']);
  });
});
