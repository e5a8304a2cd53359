import { describe, expect, it } from '@jest/globals';
import { buildFeedback, embedFeedback, extractFeedback, parseFeedback, roundRate } from '../../core/domain/feedback.ts';

describe('leak-safe feedback', () => {
  it('rounds rates to 0.05', () => {
    expect(roundRate(0.666)).toBe(0.65);
    expect(roundRate(0.674)).toBe(0.65);
    expect(roundRate(0.676)).toBe(0.7);
    expect(roundRate(1.2)).toBe(1);
    expect(roundRate(-1)).toBe(0);
  });

  it('keeps only rounded rates, declared tag counts and spec pointers', () => {
    const block = buildFeedback({
      round: 2,
      rates: { happy: 0.91, edge: 0.333 },
      tagCounts: { auth: 3, 'secret-scenario-title': 9 },
      specPointers: ['spec/api.md#errors', 'spec/api.md#errors', '../holdouts/s1.md', 'spec/with space.md'],
    }, 'tags', ['auth', 'timeouts']);
    expect(block).toEqual({ version: 1, round: 2, categories: { happy: 0.9, edge: 0.35 }, tags: { auth: 3 }, spec: ['spec/api.md#errors'] });
  });

  it('drops tags at level categories and gives nothing at level none', () => {
    const source = { round: 1, rates: { failure: 0.5 }, tagCounts: { auth: 1 }, specPointers: [] };
    expect(buildFeedback(source, 'categories', ['auth'])?.tags).toEqual({});
    expect(buildFeedback(source, 'none', ['auth'])).toBeNull();
  });

  it('refuses blocks that carry anything else', () => {
    expect(parseFeedback('{"version":1,"round":1,"categories":{},"tags":{},"spec":[]}')).not.toBeNull();
    expect(parseFeedback('{"version":1,"round":1,"categories":{"happy":0.33},"tags":{},"spec":[]}')).toBeNull();
    expect(parseFeedback('{"version":1,"round":1,"categories":{},"tags":{},"spec":[],"transcript":"..."}')).toBeNull();
    expect(parseFeedback('not json')).toBeNull();
  });

  it('round-trips through a check output', () => {
    const block = buildFeedback({ round: 1, rates: { happy: 1 }, tagCounts: {}, specPointers: ['spec/README.md'] }, 'categories', []);
    if (!block) throw new Error('no block');
    const text = `## Satisfaction 0.80\n\n${embedFeedback(block)}\n`;
    expect(extractFeedback(text)).toEqual(block);
    expect(extractFeedback('no block here')).toBeNull();
  });
});
