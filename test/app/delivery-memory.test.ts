import { describe, expect, it } from '@jest/globals';
import { DeliveryMemory } from '../../app/delivery-memory.ts';

describe('delivery memory', () => {
  it('says yes once per id, forgets the oldest beyond its capacity, and forgets on request', () => {
    const memory = new DeliveryMemory(2);
    expect(memory.firstTime('a')).toBe(true);
    expect(memory.firstTime('a')).toBe(false);
    memory.firstTime('b');
    memory.firstTime('c');
    expect(memory.firstTime('a')).toBe(true);
    memory.forget('c');
    expect(memory.firstTime('c')).toBe(true);
  });

  it('is one memory per instance', () => {
    const first = new DeliveryMemory();
    const second = new DeliveryMemory();
    first.firstTime('x');
    expect(second.firstTime('x')).toBe(true);
  });
});
