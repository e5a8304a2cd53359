import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PassThrough } from 'node:stream';
import { main } from '../../cli/main.ts';
import type { CliIO } from '../../cli/output.ts';
import { commitAndPush, createFixtureRepo, type FixtureRepo } from '../support/git-fixtures.ts';
import { startWireServer, type WireServer } from '../support/wire-server.ts';
import { BASE_SPEC, CHANGED_SPEC, criticAnswer, PRODUCT_EXTRAS, REVIEW_CONFIG, SCENARIO_CANARY, SOURCE_CANARY } from './fixtures.ts';

function captureIO(env: NodeJS.ProcessEnv): CliIO & { out(): string; err(): string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => { out += chunk.toString(); });
  stderr.on('data', (chunk: Buffer) => { err += chunk.toString(); });
  return { stdout, stderr, stdin: new PassThrough(), env, out: () => out, err: () => err };
}

describe('factory review', () => {
  let repo: FixtureRepo;
  let wire: WireServer;
  let base: string;
  beforeAll(async () => {
    repo = createFixtureRepo({ ...BASE_SPEC, '.github/factory.yml': REVIEW_CONFIG, ...PRODUCT_EXTRAS });
    base = repo.head;
    commitAndPush(repo, CHANGED_SPEC, 'spec: unknown codes');
    wire = await startWireServer();
  });
  afterAll(async () => {
    await wire.close();
    repo.cleanup();
  });

  const env = () => ({ ANTHROPIC_API_KEY: 'sk-ant-test', ANTHROPIC_BASE_URL: wire.url });

  it('prints the planted contradiction and the unmeasurable constraint as located findings and exits 1', async () => {
    wire.push({ turn: { text: criticAnswer(), usage: { input: 900, output: 120 } } });
    const io = captureIO(env());
    const code = await main(['review', `${repo.work}/spec`, '--base', base], io);
    expect(code).toBe(1);
    expect(io.out().trim().split('\n')).toEqual([
      'spec/contracts.md:6 contradiction contracts.md says an unknown code answers 410, intent.md line 8 says 404. [blocking]',
      'spec/constraints.md:4 untestable "fast" has no measurable bar.',
    ]);
    expect(io.err()).toContain('1 finding(s) cited no line under review and were dropped');

    const request = JSON.stringify(wire.requests.at(-1)?.body);
    expect(request).toContain('An unknown short code answers 404.');
    expect(request).toContain('| `GET /{code}` unknown | 410 |');
    expect(request).toContain('+- Redirects must be fast.');
    expect(request).toContain('review:');
    expect(request).not.toContain(SOURCE_CANARY);
    expect(request).not.toContain(SCENARIO_CANARY);
  });

  it('exits 0 when no finding blocks, and --json carries the counts', async () => {
    wire.push({ turn: { text: JSON.stringify({ findings: [{ file: 'spec/constraints.md', line: 4, kind: 'untestable', message: 'no bar', blocking: true }] }) } });
    const io = captureIO(env());
    const code = await main(['review', `${repo.work}/spec`, '--json'], io);
    // An untestable constraint never blocks, whatever the critic says.
    expect(code).toBe(0);
    const json = JSON.parse(io.out()) as { ok: boolean; counts: Record<string, number> };
    expect(json.ok).toBe(true);
    expect(json.counts).toEqual({ gap: 0, ambiguity: 0, contradiction: 0, untestable: 1 });
  });

  it('merges several critics and deduplicates the finding they share', async () => {
    const one = { findings: [{ file: 'spec/contracts.md', line: 6, kind: 'contradiction', message: 'unknown code 410 contradicts intent 404', blocking: false }] };
    const two = { findings: [{ file: 'spec/contracts.md', line: 5, kind: 'contradiction', message: 'The unknown code status 410 contradicts the intent (404).', blocking: true },
      { file: 'spec/intent.md', line: 8, kind: 'gap', message: 'What does a deleted code answer?', blocking: false }] };
    wire.push({ turn: { text: JSON.stringify(one) } }, { turn: { text: `Here you go:\n\`\`\`json\n${JSON.stringify(two)}\n\`\`\`` } });
    const io = captureIO(env());
    const code = await main(['review', `${repo.work}/spec`, '--json', '--model', 'anthropic/a', '--model', 'anthropic/b'], io);
    expect(code).toBe(1);
    const json = JSON.parse(io.out()) as { findings: Array<{ kind: string; blocking: boolean; critics: string[] }> };
    expect(json.findings).toHaveLength(2);
    expect(json.findings[0]).toMatchObject({ kind: 'contradiction', blocking: true, critics: ['anthropic/a', 'anthropic/b'] });
  });

  it('exits 2 on bad input: no directory, an unknown base, no critic answering', async () => {
    expect(await main(['review', `${repo.work}/nope`], captureIO(env()))).toBe(2);
    expect(await main(['review', `${repo.work}/spec`, '--base', 'no-such-ref'], captureIO(env()))).toBe(2);
    wire.push({ turn: { text: 'I think the spec is fine.' } });
    const io = captureIO(env());
    expect(await main(['review', `${repo.work}/spec`], io)).toBe(2);
    expect(io.err()).toContain('no critic answered usably');
  });
});
