import { describe, expect, it } from '@jest/globals';
import { findExitNodes, findStartNodes, reachableFrom } from '../../core/engine/structure.ts';
import { validate } from '../../core/engine/validate/index.ts';
import { buildGraph } from '../support/graph-builder.ts';

describe('structure queries', () => {
  it('resolves start and exit by shape, else by conventional id', () => {
    const byShape = buildGraph({ nodes: { begin: { shape: 'Mdiamond' }, start: {}, finish: { shape: 'Msquare' } } });
    expect(findStartNodes(byShape).map((n) => n.id)).toEqual(['begin']);
    expect(findExitNodes(byShape).map((n) => n.id)).toEqual(['finish']);
    const byId = buildGraph({ nodes: { Start: {}, end: {} } });
    expect(findStartNodes(byId).map((n) => n.id)).toEqual(['Start']);
    expect(findExitNodes(byId).map((n) => n.id)).toEqual(['end']);
  });

  it('counts the executor’s jumps as reachability: node and graph retry targets', () => {
    const graph = buildGraph({
      attrs: { retry_target: 'autofix' },
      nodes: { start: { shape: 'Mdiamond' }, exit: { shape: 'Msquare' }, work: { retry_target: 'repair' }, repair: {}, autofix: {}, island: {} },
      edges: [['start', 'work'], ['work', 'exit'], ['repair', 'exit'], ['autofix', 'work']],
    });
    expect([...reachableFrom(graph, 'start')].sort()).toEqual(['autofix', 'exit', 'repair', 'start', 'work']);
    const unreachable = validate(graph).filter((d) => d.rule === 'reachability');
    expect(unreachable.map((d) => d.node_id)).toEqual(['island']);
  });
});
