// Reads one attribute block into typed values: aliases renamed (engine.md decision 8), values of
// known keys coerced to their declared type (§2.4), unknown keys typed by the grammar.
import { ATTRIBUTE_ALIASES, attributeTable, type AttrScope } from '../attributes.ts';
import type { Diagnostic } from '../diagnostics.ts';
import type { AttrValue } from '../graph.ts';
import type { AttributeASTNode, CommentASTNode } from 'ts-graphviz/ast';
import { startOffset, type ParseContext } from './parse-context.ts';
import { coerceToType, describeType, literalText, typeByGrammar } from './values.ts';

/** Where a block sits, for diagnostics: a node, an edge, or (with neither) defaults or the graph. */
export interface AttributeSite {
  scope: AttrScope;
  nodeId?: string;
  edge?: { from: string; to: string };
}

export interface ReadAttribute {
  key: string;
  value: AttrValue;
  /** Written under an alias; an alias never overrides the same key written under its canonical name. */
  viaAlias: boolean;
}

export function readAttributes(
  children: ReadonlyArray<AttributeASTNode | CommentASTNode>,
  site: AttributeSite,
  ctx: ParseContext,
  diagnostics: Diagnostic[],
): ReadAttribute[] {
  const attributes = children.filter((child): child is AttributeASTNode => child.type === 'Attribute');
  const aliases = ATTRIBUTE_ALIASES[site.scope];
  const table = attributeTable(site.scope);
  const keys = attributes.map((attribute) => literalText(ctx.source, attribute.key).text);
  const canonicalKeys = new Set(keys.filter((key) => !Object.hasOwn(aliases, key)));
  const read: ReadAttribute[] = [];

  attributes.forEach((attribute, index) => {
    const written = keys[index]!;
    const location = ctx.locate(startOffset(attribute.key));
    const canonical = Object.hasOwn(aliases, written) ? aliases[written]! : undefined;
    if (canonical !== undefined) {
      const shadowed = canonicalKeys.has(canonical);
      diagnostics.push({
        rule: 'attribute_alias',
        severity: 'info',
        message: shadowed
          ? `"${written}" is an alias of "${canonical}", which is also set here; "${canonical}" wins`
          : `"${written}" is an alias of "${canonical}"; read as "${canonical}"`,
        ...siteFields(site),
        ...location,
        fix: `rename "${written}" to "${canonical}"`,
      });
      if (shadowed) return;
    }
    const key = canonical ?? written;
    const { text, quoted } = literalText(ctx.source, attribute.value);
    const spec = Object.hasOwn(table, key) ? table[key] : undefined;
    if (!spec) {
      read.push({ key, value: quoted ? text : typeByGrammar(text), viaAlias: canonical !== undefined });
      return;
    }
    const value = coerceToType(text, spec.type);
    if (value === undefined) {
      diagnostics.push({
        rule: 'attribute_type',
        severity: 'error',
        message: `attribute "${key}" ${describeSite(site)} must be ${describeType(spec.type)}, got ${JSON.stringify(text)}`,
        ...siteFields(site),
        ...location,
      });
      return;
    }
    read.push({ key, value, viaAlias: canonical !== undefined });
  });
  return read;
}

function siteFields(site: AttributeSite): Pick<Diagnostic, 'node_id' | 'edge'> {
  if (site.nodeId !== undefined) return { node_id: site.nodeId };
  if (site.edge) return { edge: { ...site.edge } };
  return {};
}

function describeSite(site: AttributeSite): string {
  if (site.nodeId !== undefined) return `on node ${site.nodeId}`;
  if (site.edge) return `on edge ${site.edge.from} -> ${site.edge.to}`;
  if (site.scope === 'graph') return 'of the graph';
  return `in the ${site.scope} defaults`;
}
