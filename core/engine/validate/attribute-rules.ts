// Attribute vocabulary (engine.md decision 8) and loop bounds (engine.md decision 7).
import { ATTRIBUTE_ALIASES, attributeTable, isKnownAttribute, PRESENTATION_ATTRIBUTES, type AttrScope } from '../attributes.ts';
import type { Diagnostic } from '../diagnostics.ts';
import { attrString, type Attrs, type AttrValue, type Graph } from '../graph.ts';
import { describeEdge, edgeDiagnostic, graphDiagnostic, nodeDiagnostic, type Finding, type LintRule } from './rule.ts';
import { didYouMean } from './suggest.ts';

/** engine.md decision 7: a run stops after this many steps unless the graph says otherwise. */
const DEFAULT_MAX_STEPS = 500;

/** Every attribute set in the graph, with a way to turn a finding about it into a located diagnostic. */
interface AttributeSite {
  scope: AttrScope;
  attrs: Attrs;
  owner: string;
  diagnose(rule: string, finding: Finding): Diagnostic;
}

function graphSite(graph: Graph): AttributeSite {
  return { scope: 'graph', attrs: graph.attrs, owner: 'the graph', diagnose: (rule, finding) => graphDiagnostic(rule, finding) };
}

function nodeSites(graph: Graph): AttributeSite[] {
  return [...graph.nodes.values()].map((node): AttributeSite => ({
    scope: 'node', attrs: node.attrs, owner: `node "${node.id}"`, diagnose: (rule, finding) => nodeDiagnostic(rule, node, finding),
  }));
}

function attributeSites(graph: Graph): AttributeSite[] {
  const edgeSites = graph.edges.map((edge): AttributeSite => ({
    scope: 'edge', attrs: edge.attrs, owner: describeEdge(edge), diagnose: (rule, finding) => edgeDiagnostic(rule, edge, finding),
  }));
  return [graphSite(graph), ...nodeSites(graph), ...edgeSites];
}

function unknownKeyFix(scope: AttrScope, key: string, candidates: readonly string[]): string | undefined {
  const canonical = ATTRIBUTE_ALIASES[scope][key];
  if (canonical !== undefined) return `rename it to "${canonical}"`;
  return didYouMean(key, candidates);
}

export const unknownAttributeRule: LintRule = {
  name: 'unknown_attribute',
  apply(graph, env) {
    const diagnostics: Diagnostic[] = [];
    // The suggestion vocabulary per scope, built once per lint rather than once per unknown key.
    const vocabulary = new Map<AttrScope, string[]>();
    const candidatesFor = (scope: AttrScope): string[] => {
      let list = vocabulary.get(scope);
      if (!list) vocabulary.set(scope, list = [...Object.keys(attributeTable(scope)), ...env.extraAttributes, ...PRESENTATION_ATTRIBUTES]);
      return list;
    };
    for (const site of attributeSites(graph)) {
      for (const key of Object.keys(site.attrs)) {
        if (isKnownAttribute(site.scope, key, env.extraAttributes)) continue;
        diagnostics.push(site.diagnose('unknown_attribute', {
          severity: 'warning',
          message: `${site.owner} has unknown ${site.scope} attribute "${key}"; it is ignored`,
          fix: unknownKeyFix(site.scope, key, candidatesFor(site.scope)),
        }));
      }
    }
    return diagnostics;
  },
};

export const attributeValueRule: LintRule = {
  name: 'attribute_value',
  apply(graph) {
    const diagnostics: Diagnostic[] = [];
    for (const site of attributeSites(graph)) {
      const table = attributeTable(site.scope);
      for (const key of Object.keys(site.attrs)) {
        const allowed = Object.hasOwn(table, key) ? table[key]?.values : undefined;
        const value = attrString(site.attrs, key);
        if (allowed === undefined || allowed.includes(value)) continue;
        diagnostics.push(site.diagnose('attribute_value', {
          severity: 'warning',
          message: `${site.owner} has ${key}="${value}"; expected one of ${allowed.join(', ')}`,
          fix: didYouMean(value, allowed) ?? `use one of ${allowed.join(', ')}`,
        }));
      }
    }
    return diagnostics;
  },
};

function asPositiveInteger(value: AttrValue): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value > 0 ? value : undefined;
  if (typeof value === 'string' && /^\s*\+?[0-9]+\s*$/.test(value)) {
    const parsed = Number(value);
    return parsed > 0 ? parsed : undefined;
  }
  return undefined;
}

export const loopBoundsRule: LintRule = {
  name: 'loop_bounds',
  apply(graph) {
    const diagnostics: Diagnostic[] = [];
    /** The bound's value when it is valid; an error diagnostic when it is set but not a positive integer. */
    const readBound = (site: AttributeSite, key: string): number | undefined => {
      const value = site.attrs[key];
      if (value === undefined) return undefined;
      const parsed = asPositiveInteger(value);
      if (parsed === undefined) {
        diagnostics.push(site.diagnose('loop_bounds', {
          severity: 'error',
          message: `${site.owner} has ${key}=${JSON.stringify(attrString(site.attrs, key))}; it must be a positive integer`,
          fix: `set ${key} to a whole number of at least 1, or remove it`,
        }));
      }
      return parsed;
    };
    const warnIfAboveSteps = (site: AttributeSite, key: string, visits: number | undefined, maxSteps: number | undefined) => {
      if (visits === undefined || maxSteps === undefined || visits <= maxSteps) return;
      diagnostics.push(site.diagnose('loop_bounds', {
        severity: 'warning',
        message: `${site.owner} has ${key}=${visits}, more than the run's max_steps (${maxSteps}); the step budget stops the run first`,
        fix: `lower ${key} or raise the graph's max_steps`,
      }));
    };
    const graphAttrs = graphSite(graph);
    const maxSteps = graph.attrs.max_steps === undefined ? DEFAULT_MAX_STEPS : readBound(graphAttrs, 'max_steps');
    warnIfAboveSteps(graphAttrs, 'default_max_visits', readBound(graphAttrs, 'default_max_visits'), maxSteps);
    for (const site of nodeSites(graph)) warnIfAboveSteps(site, 'max_visits', readBound(site, 'max_visits'), maxSteps);
    return diagnostics;
  },
};

export const ATTRIBUTE_RULES: readonly LintRule[] = [unknownAttributeRule, attributeValueRule, loopBoundsRule];
