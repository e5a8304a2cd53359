import { describe, expect, it } from '@jest/globals';
import { createScriptedProvider } from '../../core/agent/llm/scripted.ts';
import { parseScenario, type Scenario } from '../../core/domain/scenario.ts';
import { extractJson, judgeTrial, JudgeError, scoreVerdict } from '../../core/validation/judge.ts';

const parsed = parseScenario(`---
id: s
title: T
category: happy
rubric:
  - id: a
    weight: 3
  - id: b
---
## Story
x
## Steps
y
## Expected
z
## Judge criteria
- a: first
- b: second
`);
if (!parsed.ok) throw new Error('fixture scenario must parse');
const scenario: Scenario = parsed.scenario;

describe('judge verdicts', () => {
  it('weights criteria: 3 of 4 passes the 0.75 share, 1 of 4 does not', () => {
    const three = scoreVerdict(scenario, { criteria: [{ id: 'a', pass: true, reasoning: 'r' }, { id: 'b', pass: false, reasoning: 'r' }] });
    expect(three.score).toBe(0.75);
    expect(three.pass).toBe(true);
    const one = scoreVerdict(scenario, { criteria: [{ id: 'a', pass: false }, { id: 'b', pass: true }] });
    expect(one.score).toBe(0.25);
    expect(one.pass).toBe(false);
  });

  it('refuses verdicts missing a criterion or of the wrong shape', () => {
    expect(() => scoreVerdict(scenario, { criteria: [{ id: 'a', pass: true }] })).toThrow(JudgeError);
    expect(() => scoreVerdict(scenario, { criteria: [{ id: 'a', pass: 'yes' }] })).toThrow(JudgeError);
    expect(() => extractJson('no json here')).toThrow(JudgeError);
    expect(extractJson('Here:\n```json\n{"x": 1}\n```')).toEqual({ x: 1 });
  });

  it('calls the provider without tools and parses its answer', async () => {
    const requests: Array<{ tools: unknown[]; stage?: string }> = [];
    const scripted = createScriptedProvider({ file: 'inline', script: { stages: { 'judge:s': [{ text: '{"criteria":[{"id":"a","pass":true,"reasoning":"ok"},{"id":"b","pass":true,"reasoning":"ok"}]}' }] } } });
    const provider = { name: 'spy', complete: async (request: Parameters<typeof scripted.complete>[0]) => {
      requests.push({ tools: request.tools, stage: request.stage });
      return scripted.complete(request);
    } };
    const verdict = await judgeTrial({ scenario, variations: {}, interactions: [], checks: [], agentSummary: '' }, { provider, model: 'm', stage: 'judge:s' });
    expect(verdict.pass).toBe(true);
    expect(requests).toEqual([{ tools: [], stage: 'judge:s' }]);
  });
});
