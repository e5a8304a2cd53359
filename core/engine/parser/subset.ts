// The checks that keep a parsed file inside the DOT subset of §2 (engine.md decision 8). ts-graphviz
// accepts all of Graphviz's DOT; everything beyond the subset is refused here, with its location.
import type {
  AttributeASTNode, ClusterStatementASTNode, CommentASTNode, DotASTNode, EdgeTargetASTNode, GraphASTNode, LiteralASTNode,
} from 'ts-graphviz/ast';
import { startOffset, type ParseContext } from './parse-context.ts';
import { literalText } from './values.ts';

export const NODE_ID = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ATTRIBUTE_KEY = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const GRAPH_KEYWORDS = new Set(['digraph', 'graph', 'strict']);
const KEYWORDS = new Set([...GRAPH_KEYWORDS, 'node', 'edge', 'subgraph']);

/** The one graph of the file, once everything in it is known to be inside the subset. */
export function checkDotSubset(dot: DotASTNode, ctx: ParseContext): GraphASTNode {
  const graphs = dot.children.filter((child): child is GraphASTNode => child.type === 'Graph');
  const [graph, second] = graphs;
  if (second) ctx.fail('a file holds exactly one graph; another graph starts here', startOffset(second));
  if (!graph) return ctx.fail('the file holds no graph', 0);
  if (graph.strict) ctx.fail('strict graphs are not supported; remove "strict"', startOffset(graph));
  if (!graph.directed) ctx.fail('undirected graphs are not supported; use digraph and ->', startOffset(graph));
  if (!graph.id) ctx.fail('the graph needs a name: digraph Name { ... }', startOffset(graph));
  const name = plainText(graph.id, ctx, 'graph name');
  if (!NODE_ID.test(name)) ctx.fail(`graph name ${JSON.stringify(name)} must be an identifier ([A-Za-z_][A-Za-z0-9_]*)`, startOffset(graph.id));
  checkStatements(graph.children, ctx);
  return graph;
}

function checkStatements(statements: readonly ClusterStatementASTNode[], ctx: ParseContext): void {
  for (const statement of statements) {
    switch (statement.type) {
      case 'Node':
        checkNodeId(statement.id, ctx);
        checkAttributeList(statement.children, ctx);
        break;
      case 'Edge':
        for (const target of statement.targets) checkEdgeTarget(target, ctx);
        checkAttributeList(statement.children, ctx);
        break;
      case 'AttributeList':
        checkAttributeList(statement.children, ctx);
        break;
      case 'Attribute':
        checkAttribute(statement, ctx);
        break;
      case 'Subgraph':
        if (statement.id) plainText(statement.id, ctx, 'subgraph name');
        checkStatements(statement.children, ctx);
        break;
      case 'Comment':
        break;
    }
  }
}

function checkEdgeTarget(target: EdgeTargetASTNode, ctx: ParseContext): void {
  if (target.type === 'NodeRefGroup') {
    ctx.fail('a subgraph or group {...} cannot be an edge endpoint; write one edge per pair of nodes', startOffset(target));
  }
  // ts-graphviz reads `a -> subgraph s {...}` as an edge to a node called "subgraph".
  if (target.id.quoted === false && literalText(ctx.source, target.id).text.toLowerCase() === 'subgraph') {
    ctx.fail('a subgraph cannot be an edge endpoint; write one edge per pair of nodes', startOffset(target));
  }
  checkNodeId(target.id, ctx);
  const port = target.port ?? target.compass;
  if (port) {
    const id = literalText(ctx.source, target.id).text;
    ctx.fail(`ports are not supported (${id}:${literalText(ctx.source, port).text}); connect the node itself`, startOffset(port));
  }
}

function checkNodeId(literal: LiteralASTNode, ctx: ParseContext): void {
  const id = plainText(literal, ctx, 'node id');
  if (literal.quoted === false && KEYWORDS.has(id.toLowerCase())) {
    if (GRAPH_KEYWORDS.has(id.toLowerCase())) ctx.fail('a file holds exactly one graph; graphs cannot be nested', startOffset(literal));
    ctx.fail(`"${id}" is a DOT keyword and cannot be a node id`, startOffset(literal));
  }
  if (!NODE_ID.test(id)) {
    ctx.fail(`node id ${JSON.stringify(id)} is not a bare identifier ([A-Za-z_][A-Za-z0-9_]*); put readable names in label`, startOffset(literal));
  }
}

function checkAttributeList(children: ReadonlyArray<AttributeASTNode | CommentASTNode>, ctx: ParseContext): void {
  // Graphviz's grammar (a_list) makes the separator optional: `,`, `;` or nothing, line breaks
  // included. Graphs written for the other Attractor implementations rely on all three.
  for (const child of children) if (child.type === 'Attribute') checkAttribute(child, ctx);
}

function checkAttribute(attribute: AttributeASTNode, ctx: ParseContext): void {
  const key = plainText(attribute.key, ctx, 'attribute name');
  if (!ATTRIBUTE_KEY.test(key)) ctx.fail(`attribute name ${JSON.stringify(key)} is not an identifier`, startOffset(attribute.key));
  plainText(attribute.value, ctx, `value of ${key}`);
}

function plainText(literal: LiteralASTNode, ctx: ParseContext, what: string): string {
  if (literal.quoted === 'html') ctx.fail(`HTML strings are not supported (${what}); use a quoted string`, startOffset(literal));
  return literalText(ctx.source, literal).text;
}
