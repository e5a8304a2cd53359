// `factory demo` (issue 7 §2): the whole loop on the shipped example, as a newcomer runs it — the
// real command as a child process, no model key, the recorded sessions, a real build and service.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { chooseDemoModels, DEMO_PROVIDER_MODELS } from '../../cli/demo-models.ts';
import { runCli } from '../support/run-cli.ts';
import { tempDirs } from './helpers.ts';

const temp = tempDirs();
afterAll(() => temp.removeAll());

const RECORDINGS = { factory: '/x/factory.script.json', validation: '/x/validation.script.json' };
const NO_KEYS = { ANTHROPIC_API_KEY: '', OPENAI_API_KEY: '' };

describe('factory demo: which models', () => {
  it('replays the recordings when no provider key is set, and says so', () => {
    const models = chooseDemoModels(undefined, {}, RECORDINGS);
    expect(models).toMatchObject({ factory: 'scripted:/x/factory.script.json', validation: 'scripted:/x/validation.script.json', recorded: true });
    expect(models.explanation).toMatch(/No ANTHROPIC_API_KEY or OPENAI_API_KEY set: replaying the recorded model sessions/);
  });

  it('uses Anthropic when its key is set, before OpenAI', () => {
    const models = chooseDemoModels(undefined, { ANTHROPIC_API_KEY: 'k', OPENAI_API_KEY: 'k' }, RECORDINGS);
    expect(models).toMatchObject({ factory: DEMO_PROVIDER_MODELS.anthropic, validation: DEMO_PROVIDER_MODELS.anthropic, recorded: false });
    expect(models.explanation).toContain('ANTHROPIC_API_KEY is set');
  });

  it('uses OpenAI when only its key is set; an empty key counts as unset', () => {
    const models = chooseDemoModels(undefined, { ANTHROPIC_API_KEY: '', OPENAI_API_KEY: 'k' }, RECORDINGS);
    expect(models).toMatchObject({ factory: DEMO_PROVIDER_MODELS.openai, recorded: false });
  });

  it('takes --model over any key', () => {
    expect(chooseDemoModels('openai/gpt-5.1', { ANTHROPIC_API_KEY: 'k' }, RECORDINGS)).toMatchObject({ factory: 'openai/gpt-5.1', validation: 'openai/gpt-5.1', recorded: false });
  });
});

describe('factory demo: the whole loop', () => {
  it('builds the example, validates it, prints the report, path and spend, and draws the run', () => {
    const out = join(temp.make(), 'demo');
    const result = runCli(['demo', '--out', out], { env: NO_KEYS, timeoutMs: 280_000 });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('replaying the recorded model sessions in examples/recordings');
    expect(result.stdout).toMatch(/\[1\/3\] Build[\s\S]*factory run: success — 7 stages[\s\S]*\[2\/3\] Validate[\s\S]*\[3\/3\] Report/);
    expect(result.stdout).toMatch(/overall +100\.0% +\[\d+\.\d%, 100\.0%\] at 95% +\(38\/38 trials, 19 scenarios\)/);
    expect(result.stdout).toContain('Decision: PASS');
    // The URL-safety twin: every trial's fresh instance answered the service's checks (a count only).
    const twinTraffic = /Twin traffic: (\d+) request\(s\) from the service to its twin\(s\) urlcheck, recorded per trial \(detailed report only\)/.exec(result.stdout);
    expect(Number(twinTraffic?.[1])).toBeGreaterThanOrEqual(4);
    expect(result.stdout).toContain('Path: start → understand → plan → implement → check → review → done');
    expect(result.stdout).toMatch(/Factory run: [\d,]+ tokens, \$0\.0000 \(replayed: nothing billed; about \$\d+\.\d\d at claude-sonnet-4-6 list prices\)/);
    expect(result.stdout).toMatch(/the gate passes\.\n$/);
    // Progress while it runs: each stage, then the validation's running count (no scenario names).
    expect(result.stderr).toMatch(/implement: success in/);
    expect(result.stderr).toContain('validation: 38/38 trials, 38 satisfied');
    expect(result.stderr).not.toMatch(/shorten-|redirect-/);

    const svg = readFileSync(join(out, 'run.svg'), 'utf8');
    expect(svg).toMatch(/<svg[\s\S]*implement[\s\S]*<\/svg>/);
    expect(existsSync(join(out, 'run', 'checkpoint.json'))).toBe(true);
    expect(existsSync(join(out, 'linkshort', 'src', 'server.js'))).toBe(true);
  }, 300_000);

  it('refuses an output directory that already holds something, and changes nothing', () => {
    const out = temp.make();
    writeFileSync(join(out, 'keep.txt'), 'mine');
    const result = runCli(['demo', '--out', out], { env: NO_KEYS });
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toBe(`factory demo: --out ${out} is not empty; choose a new or empty directory`);
    expect(readFileSync(join(out, 'keep.txt'), 'utf8')).toBe('mine');
    expect(existsSync(join(out, 'linkshort'))).toBe(false);
  });

  it('explains its options for --help and refuses stray arguments', () => {
    expect(runCli(['demo', '--help']).stdout).toContain('Usage: factory demo [--out <dir>] [--model <spec>]');
    const stray = runCli(['demo', 'now']);
    expect(stray.status).toBe(2);
    expect(stray.stderr.trim()).toBe('factory demo: unexpected argument "now" (see factory demo --help)');
  });

  it('stops after a failed run with the drawing of where it stopped, and does not validate', () => {
    const out = join(temp.make(), 'demo');
    mkdirSync(out);
    const result = runCli(['demo', '--out', out, '--model', 'anthropic/claude-sonnet-4-6'], {
      env: { ...NO_KEYS, ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: 'http://127.0.0.1:9' },
    });
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/factory run: fail/);
    expect(result.stdout).toContain(`The factory run did not succeed, so there is nothing to validate. The drawing of where it stopped: ${join(out, 'run.svg')}`);
    expect(result.stdout).not.toContain('[2/3]');
    expect(existsSync(join(out, 'run.svg'))).toBe(true);
  }, 60_000);
});
