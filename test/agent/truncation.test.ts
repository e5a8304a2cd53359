import { describe, expect, it } from '@jest/globals';
import { truncateChars, truncateLines, truncateToolOutput } from '../../core/agent/loop/truncation.ts';

describe('tool output truncation', () => {
  it('keeps head and tail with a marker saying how much was removed', () => {
    const out = truncateChars('a'.repeat(60) + 'b'.repeat(40), 20, 'head_tail');
    expect(out.startsWith('a'.repeat(10))).toBe(true);
    expect(out.endsWith('b'.repeat(10))).toBe(true);
    expect(out).toContain('80 characters were removed from the middle');
  });

  it('tail mode keeps the end', () => {
    const out = truncateChars('0123456789', 4, 'tail');
    expect(out).toMatch(/First 6 characters were removed/);
    expect(out.endsWith('6789')).toBe(true);
  });

  it('lines are cut after characters, so one huge line is still bounded', () => {
    const huge = 'x'.repeat(100_000);
    const out = truncateToolOutput(`${huge}\n${huge}`, 'shell');
    expect(out.length).toBeLessThan(31_000);
    const many = Array.from({ length: 1000 }, (_, i) => `line ${i}`).join('\n');
    const cut = truncateToolOutput(many, 'shell');
    expect(cut).toContain('[... 744 lines omitted ...]');
    expect(cut.startsWith('line 0\n')).toBe(true);
    expect(cut.endsWith('line 999')).toBe(true);
  });

  it('leaves short output alone', () => {
    expect(truncateToolOutput('ok', 'shell')).toBe('ok');
    expect(truncateLines('a\nb', 5)).toBe('a\nb');
  });
});
