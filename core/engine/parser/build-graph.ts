// Flattens the checked DOT AST into the Graph model: scoped node/edge defaults (§2.11), subgraphs
// unwrapped with their labels turned into classes (§2.10), chained edges expanded (§2.9).
import type { Diagnostic } from '../diagnostics.ts';
import { attrString, type Attrs, type Graph, type GraphNode } from '../graph.ts';
import type { ClusterStatementASTNode, GraphASTNode, SubgraphASTNode } from 'ts-graphviz/ast';
import { readAttributes, type ReadAttribute } from './attribute-reader.ts';
import { classFromLabel, classList, mergeClasses } from './classes.ts';
import { startOffset, type ParseContext } from './parse-context.ts';
import { literalText } from './values.ts';

interface Scope {
  nodeDefaults: Attrs;
  edgeDefaults: Attrs;
  /** Classes derived from the labels of the enclosing subgraphs, outermost first. */
  classes: readonly string[];
}

interface NodeRecord {
  node: GraphNode;
  /** Seen in a node statement; until then `loc` points at the first edge that mentioned it. */
  declared: boolean;
  /** Keys this node set under their canonical name. */
  canonicalKeys: Set<string>;
  derivedClasses: string[];
}

export function buildGraph(graphAst: GraphASTNode, ctx: ParseContext, diagnostics: Diagnostic[]): Graph {
  const graph: Graph = { name: graphAst.id ? literalText(ctx.source, graphAst.id).text : '', attrs: {}, nodes: new Map(), edges: [] };
  const records = new Map<string, NodeRecord>();
  const graphCanonicalKeys = new Set<string>();

  const touchNode = (id: string, scope: Scope, offset: number, isDeclaration: boolean): NodeRecord => {
    let record = records.get(id);
    if (!record) {
      const node: GraphNode = { id, attrs: { ...scope.nodeDefaults }, classes: [], loc: ctx.locate(offset) };
      record = { node, declared: isDeclaration, canonicalKeys: new Set(), derivedClasses: [] };
      records.set(id, record);
      graph.nodes.set(id, node);
    } else if (isDeclaration && !record.declared) {
      record.declared = true;
      record.node.loc = ctx.locate(offset);
    }
    if (scope.classes.length > 0) {
      record.derivedClasses = mergeClasses(record.derivedClasses, scope.classes);
      // The first labelled subgraph a node appears in is its thread (§5.4); later mentions do not move it.
      record.node.subgraphClass ??= scope.classes.at(-1);
    }
    return record;
  };

  const walk = (statements: readonly ClusterStatementASTNode[], outer: Scope, isRoot: boolean): void => {
    let scope = outer;
    for (const statement of statements) {
      switch (statement.type) {
        case 'Attribute':
          // Inside a subgraph these describe the subgraph; only its label matters, read by subgraphScope.
          if (isRoot) mergeInto(graph.attrs, graphCanonicalKeys, readAttributes([statement], { scope: 'graph' }, ctx, diagnostics));
          break;
        case 'AttributeList': {
          if (statement.kind === 'Graph') {
            if (isRoot) mergeInto(graph.attrs, graphCanonicalKeys, readAttributes(statement.children, { scope: 'graph' }, ctx, diagnostics));
          } else if (statement.kind === 'Node') {
            const read = readAttributes(statement.children, { scope: 'node' }, ctx, diagnostics);
            scope = { ...scope, nodeDefaults: withAttributes(scope.nodeDefaults, read) };
          } else {
            const read = readAttributes(statement.children, { scope: 'edge' }, ctx, diagnostics);
            scope = { ...scope, edgeDefaults: withAttributes(scope.edgeDefaults, read) };
          }
          break;
        }
        case 'Node': {
          const id = literalText(ctx.source, statement.id).text;
          const record = touchNode(id, scope, startOffset(statement), true);
          mergeInto(record.node.attrs, record.canonicalKeys, readAttributes(statement.children, { scope: 'node', nodeId: id }, ctx, diagnostics));
          break;
        }
        case 'Edge': {
          const ids: string[] = [];
          for (const target of statement.targets) {
            if (target.type !== 'NodeRef') continue; // refused by checkDotSubset
            const id = literalText(ctx.source, target.id).text;
            touchNode(id, scope, startOffset(target), false);
            ids.push(id);
          }
          const edgeSite = { from: ids[0] ?? '', to: ids[1] ?? '' };
          const attrs = withAttributes(scope.edgeDefaults, readAttributes(statement.children, { scope: 'edge', edge: edgeSite }, ctx, diagnostics));
          const loc = ctx.locate(startOffset(statement));
          for (let i = 1; i < ids.length; i++) {
            graph.edges.push({ from: ids[i - 1]!, to: ids[i]!, attrs: { ...attrs }, index: graph.edges.length, loc: { ...loc } });
          }
          break;
        }
        case 'Subgraph':
          walk(statement.children, subgraphScope(statement, scope, ctx), false);
          break;
        case 'Comment':
          break;
      }
    }
  };

  walk(graphAst.children, { nodeDefaults: {}, edgeDefaults: {}, classes: [] }, true);
  for (const { node, derivedClasses, declared } of records.values()) {
    node.classes = mergeClasses(classList(attrString(node.attrs, 'class')), derivedClasses);
    if (!declared) node.implicit = true;
  }
  return graph;
}

/** Later values win, except that an alias never overrides a key the same target wrote under its canonical name. */
function mergeInto(target: Attrs, canonicalKeys: Set<string>, read: readonly ReadAttribute[]): void {
  for (const { key, value, viaAlias } of read) {
    if (viaAlias && canonicalKeys.has(key)) continue;
    target[key] = value;
    if (!viaAlias) canonicalKeys.add(key);
  }
}

function withAttributes(base: Attrs, read: readonly ReadAttribute[]): Attrs {
  const attrs = { ...base };
  for (const { key, value } of read) attrs[key] = value;
  return attrs;
}

/** A subgraph's label applies to the whole subgraph, wherever in its body it is written. */
function subgraphScope(subgraph: SubgraphASTNode, outer: Scope, ctx: ParseContext): Scope {
  let label: string | undefined;
  for (const statement of subgraph.children) {
    const attributes = statement.type === 'Attribute' ? [statement] : statement.type === 'AttributeList' && statement.kind === 'Graph' ? statement.children : [];
    for (const attribute of attributes) {
      if (attribute.type === 'Attribute' && literalText(ctx.source, attribute.key).text === 'label') {
        label = literalText(ctx.source, attribute.value).text;
      }
    }
  }
  const derived = label === undefined ? '' : classFromLabel(label);
  return derived === '' ? outer : { ...outer, classes: mergeClasses(outer.classes, [derived]) };
}
