// The interactive shift's workflow templates against the contracts they wire: the App's dispatch
// inputs (core/domain/dispatch.ts) and the Action's inputs (action.yml); the review job sees the
// spec and config only, the drafts and drift jobs hold the holdouts credentials only.
import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ReviewDispatchInputsSchema, ScenariosDispatchInputsSchema } from '../../core/domain/dispatch.ts';
import { REPO_ROOT } from '../support/run-cli.ts';

interface Step { id?: string; uses?: string; with?: Record<string, unknown>; env?: Record<string, string> }
interface Workflow { on: Record<string, { inputs?: Record<string, unknown> } | null>; permissions: Record<string, string>; jobs: Record<string, { environment?: string; steps: Step[] }> }

const load = <T>(path: string): T => parse(readFileSync(join(REPO_ROOT, path), 'utf8')) as T;
const actionInputs = Object.keys(load<{ inputs: Record<string, unknown> }>('action.yml').inputs);
const steps = (workflow: Workflow): Step[] => Object.values(workflow.jobs).flatMap((job) => job.steps);
const ourStep = (workflow: Workflow): Step => steps(workflow).find((step) => step.uses?.startsWith('spec-factory/'))!;

describe('templates/workflows/review.yml', () => {
  const review = load<Workflow>('templates/workflows/review.yml');
  it('declares exactly the inputs the App dispatches and passes only inputs the Action has', () => {
    expect(Object.keys(review.on.workflow_dispatch?.inputs ?? {}).sort()).toEqual(Object.keys(ReviewDispatchInputsSchema.shape).sort());
    for (const name of Object.keys(ourStep(review).with ?? {})) expect(actionInputs).toContain(name);
    expect(ourStep(review).with?.command).toBe('review');
  });

  it('checks out spec/ and .github/ only, and holds no holdouts credential', () => {
    const checkout = steps(review).find((step) => step.uses?.startsWith('actions/checkout'))!;
    expect(String(checkout.with?.['sparse-checkout']).trim().split('\n')).toEqual(['spec/', '.github/']);
    expect(JSON.stringify(review)).not.toMatch(/HOLDOUTS|scenarios-token/);
    expect(review.permissions).toEqual({ contents: 'read', 'pull-requests': 'write' });
  });
});

describe.each(['scenarios', 'drift'])('templates/workflows/%s.yml', (name) => {
  const path = `templates/workflows/${name}.yml`;
  it('runs in the protected holdouts environment with the scenarios token, never the factory model key', () => {
    expect(existsSync(join(REPO_ROOT, path))).toBe(true);
    const workflow = load<Workflow>(path);
    for (const job of Object.values(workflow.jobs)) expect(job.environment).toBe('factory-holdouts');
    const step = ourStep(workflow);
    expect(step.with?.command).toBe(name);
    expect(step.with?.['scenarios-token']).toBe('${{ steps.holdouts-token.outputs.token }}');
    for (const input of Object.keys(step.with ?? {})) expect(actionInputs).toContain(input);
    if (name === 'scenarios') expect(Object.keys(workflow.on.workflow_dispatch?.inputs ?? {}).sort()).toEqual(Object.keys(ScenariosDispatchInputsSchema.shape).sort());
    else expect(Object.keys(workflow.on).sort()).toEqual(['schedule', 'workflow_dispatch']);
  });
});
