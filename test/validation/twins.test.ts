// Twins in validation (issue 18 §2): a shop that charges through a payments API, its payments twin
// declared in the config. Every trial meets fresh twins behind recording proxies; twin checks see
// what the shop sent; `setup:` seeds the twin first; a twin that never gets healthy is a harness
// error naming it; nothing of the twin traffic leaves the validator.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import type { LlmProvider, LlmRequest, LlmResponse } from '../../core/agent/llm/types.ts';
import { extractFeedback } from '../../core/domain/feedback.ts';
import { parseFactoryConfig, type FactoryConfig } from '../../core/domain/config.ts';
import { parseScenario } from '../../core/domain/scenario.ts';
import { createLocalHarness } from '../../core/validation/harness.ts';
import { evaluate } from '../../core/validation/report.ts';
import { runValidation } from '../../core/validation/run.ts';
import { buildScenarioSet } from '../../core/validation/scenarios.ts';
import type { RunResult } from '../../core/validation/types.ts';
import { CANARY, parentEnv, runCli, tempDirs } from './helpers.ts';

const FIXTURES = new URL('../fixtures/twins/', import.meta.url).pathname;
const SHOP = join(FIXTURES, 'shop');
const CHARGE_ONCE = readFileSync(join(FIXTURES, 'scenarios', 'charge-once.md'), 'utf8');

const temp = tempDirs();
afterAll(() => temp.removeAll());

function shopConfig(patch: (text: string) => string = (text) => text): { dir: string; configPath: string; config: FactoryConfig } {
  const dir = join(temp.make(), 'shop');
  cpSync(SHOP, dir, { recursive: true });
  const configPath = join(dir, '.github', 'factory.yml');
  const text = patch(readFileSync(configPath, 'utf8'));
  writeFileSync(configPath, text);
  const parsed = parseFactoryConfig(text);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return { dir, configPath, config: parsed.config };
}

/** A validation agent that follows the steps with the trial's drawn amount, and a judge that passes. */
function followingModel(): LlmProvider {
  const turns = new Map<string, number>();
  const reply = (content: LlmResponse['message']['content']): LlmResponse => ({
    message: { role: 'assistant', content }, finish_reason: 'stop', usage: { input_tokens: 10, output_tokens: 5 }, provider: 'test', model: 'follower',
  });
  return {
    name: 'test',
    async complete(request: LlmRequest) {
      const stage = request.stage ?? '';
      const turn = (turns.get(stage) ?? 0) + 1;
      turns.set(stage, turn);
      if (stage.startsWith('judge:')) return reply([{ type: 'text', text: '{"criteria":[{"id":"paid","pass":true,"reasoning":"one charge seen"}]}' }]);
      const prompt = request.messages[0]!.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
      const amount = Number(/- amount: (\d+)/.exec(prompt)?.[1]);
      if (turn === 1) return reply([{ type: 'tool_call', id: 'c1', name: 'http_request', arguments: { method: 'POST', path: '/checkout', body: { customer: 'cus_trial', amount } } }]);
      return reply([{ type: 'text', text: `Checked out ${amount}.` }]);
    },
  };
}

async function validateShop(options: { mode?: string; scenario?: string; twinStart?: string; trials?: number } = {}): Promise<RunResult> {
  const { dir, config } = shopConfig((text) => {
    let out = text.replace('${SHOP_MODE:-correct}', options.mode ?? 'correct');
    if (options.twinStart) out = out.replace('node twins/payments/server.js', options.twinStart).replace('timeout_s: 20 }\n    env', 'timeout_s: 1 }\n    env');
    return out;
  });
  const set = buildScenarioSet([{ file: 'charge-once.md', text: options.scenario ?? CHARGE_ONCE }]);
  const harness = createLocalHarness({ artifact: config.artifact, twins: config.twins, checkout: dir, scenariosDir: join(temp.make(), 'none'), parentEnv: parentEnv() });
  try {
    return await runValidation({ set, harness, providerFor: () => ({ provider: followingModel(), model: 'follower' }), trials: options.trials ?? 3, concurrency: 2 });
  } finally {
    await harness.dispose();
  }
}

function gateOf(config: FactoryConfig, result: RunResult) {
  return evaluate(result, { thresholds: config.validation.thresholds, confidence: 0.95, feedback: { level: 'categories', tags: [], round: 1, specPointers: [] } });
}

describe('twins in validation: a shop charging through a payments twin', () => {
  it('passes when every trial charges once, with that trial\'s drawn amount, on a fresh twin', async () => {
    const result = await validateShop();
    const trials = result.scenarios[0]!.trials;
    expect(trials.map((trial) => trial.outcome)).toEqual(['satisfied', 'satisfied', 'satisfied']);
    const amounts = trials.map((trial) => trial.variations.amount);
    expect(new Set(amounts).size).toBeGreaterThan(1);
    for (const trial of trials) {
      const charges = trial.twinTraffic!.filter((exchange) => exchange.request.path === '/v1/charges');
      expect(charges).toHaveLength(1);
      expect(JSON.parse(charges[0]!.request.body!)).toMatchObject({ customer: 'cus_trial', amount: trial.variations.amount });
      // A fresh instance per trial: every trial's charge is that twin's first.
      expect(JSON.parse(charges[0]!.response!.body).id).toMatch(/^ch_1_/);
      // Recorded without credentials; the setup request went straight to the twin, not through the proxy.
      expect(charges[0]!.request.headers.authorization).toBeUndefined();
      expect(JSON.stringify(trial.twinTraffic)).not.toContain('sk_test_shop-secret');
      expect(trial.twinTraffic!.map((exchange) => exchange.request.path)).toEqual(['/v1/charges']);
    }
    expect(gateOf(shopConfig().config, result).leakSafe.decision).toBe('pass');
  }, 60_000);

  it('fails the twin checks and the gate when the shop charges the wrong amount, or twice', async () => {
    const wrong = await validateShop({ mode: 'wrong-amount', trials: 2 });
    expect(wrong.scenarios[0]!.trials.map((trial) => trial.outcome)).toEqual(['unsatisfied', 'unsatisfied']);
    const wrongChecks = wrong.scenarios[0]!.trials[0]!.checks;
    expect(wrongChecks.map((check) => check.passed)).toEqual([true, true, false, true]);
    expect(wrongChecks[2]!.detail).toBe('amount differs');
    expect(gateOf(shopConfig().config, wrong).leakSafe.decision).toBe('fail');

    const twice = await validateShop({ mode: 'twice', trials: 2 });
    const twiceChecks = twice.scenarios[0]!.trials[0]!.checks;
    expect(twice.scenarios[0]!.trials.map((trial) => trial.outcome)).toEqual(['unsatisfied', 'unsatisfied']);
    expect(twiceChecks[1]).toMatchObject({ passed: false, detail: '2 request(s) POST /v1/charges to twin payments, expected exactly 1' });
    expect(gateOf(shopConfig().config, twice).leakSafe.decision).toBe('fail');
  }, 60_000);

  it('sends the setup requests to the twin before the agent starts: without them the charge is refused', async () => {
    const withoutSetup = CHARGE_ONCE.replace(/setup:\n.*\n/, '');
    expect(withoutSetup).not.toContain('setup:');
    const result = await validateShop({ scenario: withoutSetup, trials: 1 });
    const trial = result.scenarios[0]!.trials[0]!;
    expect(trial.outcome).toBe('unsatisfied');
    expect(trial.checks[0]).toMatchObject({ passed: false, detail: 'status 402, expected 201' });
    expect(trial.twinTraffic![0]!.response!.status).toBe(404);
  }, 60_000);

  it('a setup request the twin refuses is a harness error, not a failed scenario', async () => {
    const badSetup = CHARGE_ONCE.replace('body: { id: cus_trial }', 'body: { name: nobody }');
    const result = await validateShop({ scenario: badSetup, trials: 1 });
    const trial = result.scenarios[0]!.trials[0]!;
    expect(trial.outcome).toBe('harness_error');
    expect(trial.harnessError).toBe('setup: setup[0]: twin "payments" answered 400 to POST /v1/customers');
  }, 60_000);

  it('a twin that never becomes healthy is a harness error naming the twin', async () => {
    const result = await validateShop({ twinStart: "node -e 'setInterval(() => {}, 1000)'", trials: 1 });
    const trial = result.scenarios[0]!.trials[0]!;
    expect(trial.outcome).toBe('harness_error');
    expect(trial.attempts).toBe(3);
    expect(trial.harnessError).toBe('twin did not start: twin "payments"\'s health check /healthz did not answer within 1000 ms');
    const gate = gateOf(shopConfig().config, result);
    expect(gate.leakSafe.harnessErrors.trials).toBe(1);
    expect(gate.leakSafe.overall.trials).toBe(0);
  }, 60_000);
});

describe('factory validate with twins (CLI)', () => {
  /** The scripted session: one checkout with a fixed amount; the scenario draws that one amount. */
  function scriptedSetup(customer: string): { scenarios: string; model: string } {
    const scenarios = temp.make();
    writeFileSync(join(scenarios, 'charge-once.md'), CHARGE_ONCE.replace('amount: [500, 1250, 9999]', 'amount: [1250]').replaceAll('cus_trial', customer));
    const model = join(temp.make(), 'model.json');
    writeFileSync(model, JSON.stringify({
      stages: {
        'agent:charge-once': [
          { tool_calls: [{ name: 'http_request', arguments: { method: 'POST', path: '/checkout', body: { customer, amount: 1250 } } }] },
          { text: 'Checked out.' },
        ],
        'judge:charge-once': [{ text: '{"criteria":[{"id":"paid","pass":true,"reasoning":"charged once"}]}' }],
      },
    }));
    return { scenarios, model: `scripted:${model}` };
  }

  it('passes with exit 0 for the right shop, fails with exit 1 for one that charges twice, and keeps twin traffic in the report only', async () => {
    const customer = `cus_${CANARY}`;
    const { scenarios, model } = scriptedSetup(customer);
    const { configPath } = shopConfig();
    const report = join(temp.make(), 'report.json');
    const pass = await runCli(['validate', '--scenarios', scenarios, '--artifact', configPath, '--model', model, '--report', report]);
    expect(pass.stderr).toBe('');
    expect(pass.stdout).toContain('Decision: PASS');
    expect(pass.code).toBe(0);
    const json = await runCli(['validate', '--scenarios', scenarios, '--artifact', configPath, '--model', model, '--json']);
    expect(json.code).toBe(0);

    // The canary rode in the twin traffic (the customer id the shop sent the payments twin): in the
    // detailed report, never in the summary, the JSON summary or the feedback block.
    const detailed = readFileSync(report, 'utf8');
    expect(detailed).toContain('"twinTraffic"');
    expect(detailed).toContain(CANARY);
    for (const output of [pass, json]) {
      expect(output.stdout).not.toContain(CANARY);
      expect(output.stderr).not.toContain(CANARY);
      expect(output.stdout).not.toMatch(/v1\/charges|twinTraffic|payments/);
    }
    expect(JSON.stringify(extractFeedback(pass.stdout) ?? {})).not.toContain(CANARY);

    const twice = shopConfig((text) => text.replace('${SHOP_MODE:-correct}', 'twice'));
    const fail = await runCli(['validate', '--scenarios', scenarios, '--artifact', twice.configPath, '--model', model, '--json']);
    expect(fail.code).toBe(1);
    expect(JSON.parse(fail.stdout)).toMatchObject({ decision: 'fail', overall: { satisfied: 0 } });
    expect(fail.stdout).not.toContain(CANARY);
  }, 90_000);
});

describe('twin keys in scenarios and config', () => {
  const scenarioWith = (frontmatter: string): string => CHARGE_ONCE.replace(/checks:\n[\s\S]*?rubric:/, `${frontmatter}\nrubric:`);

  it('accepts twin checks with on: { twin, method, path } and setup requests', () => {
    const parsed = parseScenario(CHARGE_ONCE);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    expect(parsed.scenario.setup).toEqual([{ twin: 'payments', method: 'POST', path: '/v1/customers', body: { id: 'cus_trial' } }]);
    expect(parsed.scenario.checks[1]).toMatchObject({ twin_requests: { count: 1 }, on: { twin: 'payments', method: 'POST', path: '/v1/charges' }, must: true });
  });

  it('names the field of a malformed twin check or setup request', () => {
    const empty = parseScenario(scenarioWith('checks:\n  - twin_requests: {}'));
    expect(empty.ok).toBe(false);
    if (!empty.ok) expect(empty.issues).toEqual([expect.objectContaining({ field: 'checks[0].twin_requests', expected: 'at least one of count, min, max' })]);
    const setup = parseScenario(CHARGE_ONCE.replace('path: /v1/customers', 'path: v1/customers'));
    if (!setup.ok) expect(setup.issues).toEqual([expect.objectContaining({ field: 'setup[0].path', expected: 'a string in the form a path starting with /' })]);
    expect(setup.ok).toBe(false);
  });

  it('validates the twins section of the config', () => {
    const base = readFileSync(join(SHOP, '.github', 'factory.yml'), 'utf8');
    const parsed = parseFactoryConfig(base);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    expect(parsed.config.twins.payments).toEqual({ start: 'node twins/payments/server.js', health: { path: '/healthz', timeout_s: 20 }, env: { PAYMENTS_API_URL: 'http://127.0.0.1:${port}' }, volatile: ['id', 'created'] });
    const noStart = parseFactoryConfig(base.replace('    start: "node twins/payments/server.js"\n', ''));
    expect(noStart.ok ? [] : noStart.issues).toEqual([expect.objectContaining({ path: 'twins.payments.start', expected: 'string (the key is missing)' })]);
    const port = parseFactoryConfig(base.replace('PAYMENTS_API_URL:', 'PORT:'));
    expect(port.ok ? [] : port.issues.map((issue) => issue.path)).toEqual(['twins.payments.env.PORT']);
    const name = parseFactoryConfig(base.replace('  payments:', '  Pay Ments:'));
    expect(name.ok ? [] : name.issues.map((issue) => issue.path)).toEqual(['twins.Pay Ments']);
    const unknown = parseFactoryConfig(base.replace('volatile:', 'volatil:'));
    expect(unknown.ok ? [] : unknown.issues.map((issue) => issue.path)).toEqual(['twins.payments.volatil']);
  });
});
