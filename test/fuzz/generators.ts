// fast-check generators for the inputs users and GitHub hand us: DOT graphs, `.github/factory.yml`,
// scenario files and webhook payloads, each well-formed at first and then damaged (text cut,
// characters inserted or deleted, values swapped for hostile ones).
import fc from 'fast-check';
import { stringify } from 'yaml';

const identifier = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,11}$/);
const shapes = fc.constantFrom('box', 'Mdiamond', 'Msquare', 'diamond', 'hexagon', 'parallelogram', 'component', 'tripleoctagon', 'house');
const attrValue = fc.oneof(
  fc.string({ maxLength: 12 }).map((text) => JSON.stringify(text)),
  fc.integer({ min: -5, max: 1000 }).map(String),
  fc.constantFrom('true', 'false', '"30s"', '"fail"', '"outcome=success"', '"* { llm_model: m; }"', '"#a { reasoning_effort: high }"'),
);
const attrKey = fc.constantFrom('label', 'prompt', 'shape', 'type', 'max_retries', 'goal_gate', 'retry_target', 'timeout', 'class', 'condition', 'weight', 'tool_command', 'fidelity', 'unknown_key');
const attrList = fc.array(fc.tuple(attrKey, attrValue), { maxLength: 4 }).map((pairs) => (pairs.length === 0 ? '' : ` [${pairs.map(([k, v]) => `${k}=${v}`).join(', ')}]`));

/** Damage to apply to a text: cut it, or insert / delete characters at positions. */
const damage = fc.oneof(
  fc.constant((text: string) => text),
  fc.nat().map((at) => (text: string) => text.slice(0, at % (text.length + 1))),
  fc.tuple(fc.nat(), fc.constantFrom('{', '}', '[', ']', '"', ';', '-', '>', '=', ',', '\\', '\n', '&', '*', ':', '\u0000', '#', '\t')).map(([at, char]) => (text: string) => {
    const index = at % (text.length + 1);
    return text.slice(0, index) + char + text.slice(index);
  }),
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 8 })).map(([at, length]) => (text: string) => {
    const index = at % (text.length + 1);
    return text.slice(0, index) + text.slice(index + length);
  }),
);

/** A damaged text: up to three pieces of damage applied in turn. */
export function damaged(text: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.tuple(text, fc.array(damage, { maxLength: 3 })).map(([source, damages]) => damages.reduce((current, apply) => apply(current), source));
}

/** DOT graphs in (and near) the subset: nodes, chained edges, subgraphs, graph attributes. */
export const dotGraph: fc.Arbitrary<string> = fc.record({
  name: identifier,
  goal: fc.string({ maxLength: 10 }),
  nodes: fc.uniqueArray(fc.tuple(identifier, shapes, attrList), { maxLength: 8, selector: ([id]) => id }),
  chains: fc.array(fc.array(fc.nat(), { minLength: 2, maxLength: 5 }), { maxLength: 5 }),
  edgeAttrs: attrList,
  subgraph: fc.boolean(),
}).map(({ name, goal, nodes, chains, edgeAttrs, subgraph }) => {
  const ids = ['start', 'exit', ...nodes.map(([id]) => id)];
  const lines = [`digraph ${name} {`, `  graph [goal=${JSON.stringify(goal)}]`, '  start [shape=Mdiamond]', '  exit [shape=Msquare]'];
  const declared = nodes.map(([id, shape, attrs]) => `  ${id} [shape=${shape}]${attrs ? ` ${id}${attrs}` : ''}`);
  lines.push(...(subgraph ? ['  subgraph cluster_a {', '    node [class="fast"]', ...declared, '  }'] : declared));
  for (const chain of chains) lines.push(`  ${chain.map((index) => ids[index % ids.length]).join(' -> ')}${edgeAttrs}`);
  lines.push('}');
  return lines.join('\n');
});

const hostileScalar = fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constantFrom('', '../..', '*', '~', '- x'));

/** `.github/factory.yml` texts: the real keys with plausible and hostile values, as YAML. */
export const configText: fc.Arbitrary<string> = fc.record({
  version: fc.oneof(fc.constant(1), hostileScalar),
  spec: fc.option(fc.record({ paths: fc.oneof(fc.array(fc.string({ maxLength: 8 })), hostileScalar), ready: fc.array(hostileScalar, { maxLength: 2 }) }, { requiredKeys: [] })),
  factory: fc.option(fc.record({
    graph: hostileScalar, branch_prefix: hostileScalar,
    budget: fc.record({ max_usd: hostileScalar, max_rounds: hostileScalar }, { requiredKeys: [] }),
  }, { requiredKeys: [] })),
  validation: fc.option(fc.record({ trials: hostileScalar, thresholds: fc.record({ overall: hostileScalar }, { requiredKeys: [] }) }, { requiredKeys: [] })),
  extra: fc.option(fc.dictionary(identifier, hostileScalar, { maxKeys: 2 })),
}, { requiredKeys: [] }).map((document) => stringify(document));

/** Scenario files: frontmatter of real and hostile keys, then body sections (some missing). */
export const scenarioText: fc.Arbitrary<string> = fc.record({
  frontmatter: fc.record({
    id: fc.oneof(identifier, hostileScalar),
    title: hostileScalar,
    category: fc.oneof(fc.constantFrom('happy', 'edge', 'failure'), hostileScalar),
    rubric: fc.oneof(fc.constant([{ id: 'ok' }]), fc.array(fc.record({ id: hostileScalar }), { maxLength: 2 }), hostileScalar),
    checks: fc.array(fc.oneof(fc.record({ status: hostileScalar }), fc.record({ stdout: fc.record({ matches: fc.string({ maxLength: 6 }) }) }), hostileScalar), { maxLength: 2 }),
    variations: fc.option(fc.dictionary(identifier, fc.array(hostileScalar, { maxLength: 2 }), { maxKeys: 2 })),
  }, { requiredKeys: [] }),
  sections: fc.subarray(['Story', 'Steps', 'Expected', 'Judge criteria', 'Notes']),
}).map(({ frontmatter, sections }) => `---\n${stringify(frontmatter)}---\n${sections.map((name) => `## ${name}\n${name === 'Judge criteria' ? '- ok: fine' : 'text'}\n`).join('')}`);

/** A value GitHub would never send in place of a field. */
export const hostileValue = fc.oneof(fc.constant(undefined), fc.constant(null), fc.constant(''), fc.constant('../../x'), fc.constant(0), fc.constant(-1), fc.constant([]), fc.constant({}), fc.string({ maxLength: 6 }), fc.integer());

/** Every dotted path to a value inside `value` (objects and arrays), up to `depth`. */
export function pathsOf(value: unknown, depth = 4, prefix: string[] = []): string[][] {
  if (depth === 0 || value === null || typeof value !== 'object') return [];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, child]) => [[...prefix, key], ...pathsOf(child, depth - 1, [...prefix, key])]);
}

/** `payload` with the value at `path` replaced (`undefined` deletes it). */
export function replaceAt(payload: unknown, path: readonly string[], value: unknown): unknown {
  const copy = structuredClone(payload) as Record<string, unknown>;
  let target = copy;
  for (const key of path.slice(0, -1)) target = target[key] as Record<string, unknown>;
  if (value === undefined) delete target[path.at(-1)!];
  else target[path.at(-1)!] = value;
  return copy;
}
