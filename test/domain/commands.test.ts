import { describe, expect, it } from '@jest/globals';
import { helpText, isAllowedIn, parseCommand } from '../../core/domain/commands.ts';

describe('/factory grammar', () => {
  it('ignores comments that are not commands', () => {
    expect(parseCommand('looks good to me')).toEqual({ kind: 'none' });
    expect(parseCommand('see below\n/factory rerun')).toEqual({ kind: 'none' });
    expect(parseCommand('/factoryrerun')).toEqual({ kind: 'none' });
  });

  it('reads only the first line', () => {
    expect(parseCommand('/factory rerun\nplease also rm -rf /')).toEqual({ kind: 'command', command: { name: 'rerun', args: {} } });
  });

  it('parses arguments from the fixed list', () => {
    expect(parseCommand('/factory validate trials=5 model=anthropic/claude-sonnet-4')).toEqual({
      kind: 'command', command: { name: 'validate', args: { trials: '5', model: 'anthropic/claude-sonnet-4' } },
    });
  });

  it('parses answer <key>', () => {
    expect(parseCommand('/factory answer approve')).toEqual({ kind: 'command', command: { name: 'answer', args: {}, positional: 'approve' } });
    expect(parseCommand('/factory answer')).toMatchObject({ kind: 'error', message: expect.stringContaining('needs <key>') });
    expect(parseCommand('/factory answer Y check=83')).toEqual({ kind: 'command', command: { name: 'answer', args: { check: '83' }, positional: 'Y' } });
  });

  it('says what is accepted for unknown commands and arguments', () => {
    const unknown = parseCommand('/factory deploy');
    expect(unknown).toMatchObject({ kind: 'error' });
    if (unknown.kind !== 'error') return;
    expect(unknown.message).toContain('Unknown command `deploy`');
    expect(unknown.message).toContain('`rerun`');
    const badArg = parseCommand('/factory rerun trials=3');
    if (badArg.kind !== 'error') throw new Error('accepted');
    expect(badArg.message).toContain('it accepts `model=…`');
    const noArgs = parseCommand('/factory cancel now');
    if (noArgs.kind !== 'error') throw new Error('accepted');
    expect(noArgs.message).toContain('it takes no arguments');
  });

  it('rejects malformed values, repeated arguments and a bare prefix', () => {
    expect(parseCommand('/factory validate trials=0')).toMatchObject({ kind: 'error', message: expect.stringContaining('`trials` must be') });
    expect(parseCommand('/factory validate trials=$(id)')).toMatchObject({ kind: 'error' });
    expect(parseCommand('/factory validate trials=2 trials=3')).toMatchObject({ kind: 'error', message: expect.stringContaining('twice') });
    expect(parseCommand('/factory')).toMatchObject({ kind: 'error', message: expect.stringContaining('needs a command') });
  });

  it('knows where each command belongs and lists them in help', () => {
    expect(isAllowedIn('run', 'issue')).toBe(true);
    expect(isAllowedIn('rerun', 'issue')).toBe(false);
    expect(helpText()).toContain('`/factory validate [trials=…] [model=…]`');
    expect(helpText()).toContain('`/factory answer <key> [check=…] [run=…]`');
    expect(isAllowedIn('answer', 'issue')).toBe(true);
    expect(isAllowedIn('answer', 'spec-pr')).toBe(true);
  });
});

describe('/factory rerun flags (resume issue)', () => {
  it('reads --fresh and --max-usd N (or --max-usd=N, max-usd=N) as the rerun arguments', () => {
    expect(parseCommand('/factory rerun --fresh')).toEqual({ kind: 'command', command: { name: 'rerun', args: { fresh: 'true' } } });
    for (const line of ['/factory rerun --max-usd 80', '/factory rerun --max-usd=80', '/factory rerun max-usd=80']) {
      expect(parseCommand(line)).toEqual({ kind: 'command', command: { name: 'rerun', args: { 'max-usd': '80' } } });
    }
    expect(parseCommand('/factory rerun --fresh --max-usd 12.50')).toEqual({ kind: 'command', command: { name: 'rerun', args: { fresh: 'true', 'max-usd': '12.50' } } });
  });

  it('refuses a budget that is no amount, a missing amount, and the flags on other commands', () => {
    expect(parseCommand('/factory rerun --max-usd')).toMatchObject({ kind: 'error', message: expect.stringContaining('`max-usd` must be') });
    expect(parseCommand('/factory rerun --max-usd 0')).toMatchObject({ kind: 'error', message: expect.stringContaining('above 0') });
    expect(parseCommand('/factory rerun --max-usd 1e9')).toMatchObject({ kind: 'error' });
    expect(parseCommand('/factory rerun --fresh=no')).toMatchObject({ kind: 'error', message: expect.stringContaining('--fresh') });
    expect(parseCommand('/factory validate --fresh')).toMatchObject({ kind: 'error', message: expect.stringContaining('Unknown argument `fresh`') });
  });

  it('help says that rerun resumes by default and how to start over or raise the budget', () => {
    const help = helpText();
    expect(help).toContain('`/factory rerun [model=…] [--fresh] [--max-usd N]`');
    expect(help).toContain('resume the last run when it failed, was cancelled or stopped at its budget');
  });
});
