// The judge asks each provider for its verdict in the provider's own structured output — Anthropic
// a forced tool call, OpenAI Responses text.format json_schema, Gemini a response JSON schema —
// and validates the answer with zod; OpenAI-compatible servers answer in text, parsed as fallback.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { resolveProvider } from '../../core/agent/llm/resolve.ts';
import { parseScenario, type Scenario } from '../../core/domain/scenario.ts';
import { judgeOnce, JudgeError, VERDICT_FORMAT } from '../../core/validation/judge.ts';
import { startWireServer, type WireServer } from '../support/wire-server.ts';

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
const INPUT = { scenario, variations: {}, interactions: [], checks: [], agentSummary: 'did it' };
const VERDICT = { criteria: [{ id: 'a', pass: true, reasoning: 'seen' }, { id: 'b', pass: false, reasoning: 'missing' }], uncertain: true };

let wire: WireServer;
beforeAll(async () => {
  wire = await startWireServer();
});
afterAll(async () => {
  await wire.close();
});

type Body = Record<string, unknown>;

describe('structured judge verdicts', () => {
  it('Anthropic: a forced call of the verdict tool, whose input is the verdict', async () => {
    const { provider, model } = resolveProvider('anthropic/claude-haiku-4-5', { ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: wire.url }, { retry: false });
    wire.push({ turn: { tool_calls: [{ id: 'v1', name: 'verdict', arguments: VERDICT }] } });
    const call = await judgeOnce(INPUT, { provider, model, stage: 'judge:s' });
    const body = wire.requests.at(-1)!.body as Body;
    expect(body.tool_choice).toEqual({ type: 'tool', name: 'verdict' });
    expect(body.tools).toEqual([expect.objectContaining({ name: 'verdict', input_schema: VERDICT_FORMAT.schema })]);
    expect(call.verdict).toMatchObject({ score: 0.75, pass: true, uncertain: true });
    expect(call.usage.input_tokens).toBeGreaterThan(0);
  });

  it('OpenAI Responses: text.format json_schema, strict', async () => {
    const { provider, model } = resolveProvider('openai/gpt-5-mini', { OPENAI_API_KEY: 'k', OPENAI_BASE_URL: wire.openaiBaseURL }, { retry: false });
    wire.push({ turn: { text: JSON.stringify(VERDICT) } });
    const call = await judgeOnce(INPUT, { provider, model, stage: 'judge:s' });
    expect((wire.requests.at(-1)!.body as Body).text).toEqual({ format: { type: 'json_schema', name: 'verdict', schema: VERDICT_FORMAT.schema, strict: true, description: VERDICT_FORMAT.description } });
    expect(call.verdict.criteria.map((c) => c.pass)).toEqual([true, false]);
  });

  it('Gemini: responseMimeType application/json with the response JSON schema', async () => {
    const { provider, model } = resolveProvider('gemini/gemini-2.5-flash', { GEMINI_API_KEY: 'k', GEMINI_BASE_URL: wire.url }, { retry: false });
    wire.push({ turn: { text: JSON.stringify(VERDICT) } });
    const call = await judgeOnce(INPUT, { provider, model, stage: 'judge:s' });
    const config = (wire.requests.at(-1)!.body as { generationConfig: Body }).generationConfig;
    expect(config).toMatchObject({ responseMimeType: 'application/json', responseJsonSchema: VERDICT_FORMAT.schema });
    expect(call.verdict.uncertain).toBe(true);
  });

  it('validates the structured answer with zod: a verdict lacking a criterion is refused', async () => {
    const { provider, model } = resolveProvider('anthropic/claude-haiku-4-5', { ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: wire.url }, { retry: false });
    wire.push({ turn: { tool_calls: [{ id: 'v2', name: 'verdict', arguments: { criteria: [{ id: 'a', pass: true, reasoning: '' }], uncertain: false } }] } });
    await expect(judgeOnce(INPUT, { provider, model, stage: 'judge:s' })).rejects.toThrow(JudgeError);
  });

  it('OpenAI-compatible: no schema setting is sent; the JSON is parsed from the text', async () => {
    const { provider, model } = resolveProvider('openai-compatible/llama3', { OPENAI_BASE_URL: wire.openaiBaseURL }, { retry: false });
    wire.push({ turn: { text: `Here is my verdict:\n\`\`\`json\n${JSON.stringify(VERDICT)}\n\`\`\`` } });
    const call = await judgeOnce(INPUT, { provider, model, stage: 'judge:s' });
    const body = wire.requests.at(-1)!.body as Body;
    expect(body.response_format).toBeUndefined();
    expect(call.verdict.score).toBe(0.75);
  });
});
