// Validation (Attractor §7.3): run the built-in rules, then the host's own, and collect diagnostics.
import { hasErrors, type Diagnostic } from '../diagnostics.ts';
import { ValidationError } from '../errors.ts';
import type { Graph } from '../graph.ts';
import { SHAPE_TO_TYPE } from '../handler.ts';
import { ATTRIBUTE_RULES } from './attribute-rules.ts';
import { EXPRESSION_RULES } from './expression-rules.ts';
import { NAME_RULES } from './name-rules.ts';
import { NODE_RULES } from './node-rules.ts';
import { PARALLEL_RULES } from './parallel-rules.ts';
import type { LintEnv, LintRule } from './rule.ts';
import { STRUCTURE_RULES } from './structure-rules.ts';

export type { LintEnv, LintRule } from './rule.ts';

export interface ValidateOptions {
  /** Appended to the built-in rules and run after them (§7.4). */
  extraRules?: readonly LintRule[];
  /** Handler types the host has registered; defaults to the built-in ones. */
  knownTypes?: Iterable<string>;
  /** Attributes the host reads that are not in engine/attributes.ts. */
  extraAttributes?: Iterable<string>;
}

export const BUILT_IN_HANDLER_TYPES: ReadonlySet<string> = new Set(Object.values(SHAPE_TO_TYPE));

export const BUILT_IN_RULES: readonly LintRule[] = [
  ...STRUCTURE_RULES, ...EXPRESSION_RULES, ...NODE_RULES, ...ATTRIBUTE_RULES, ...PARALLEL_RULES, ...NAME_RULES,
];

export function validate(graph: Graph, options: ValidateOptions = {}): Diagnostic[] {
  const env: LintEnv = {
    knownTypes: new Set(options.knownTypes ?? BUILT_IN_HANDLER_TYPES),
    extraAttributes: new Set(options.extraAttributes ?? []),
  };
  return [...BUILT_IN_RULES, ...(options.extraRules ?? [])].flatMap((rule) => rule.apply(graph, env));
}

/** Throws ValidationError when any diagnostic is an error; otherwise returns the (non-error) diagnostics. */
export function validateOrRaise(graph: Graph, options: ValidateOptions = {}): Diagnostic[] {
  const diagnostics = validate(graph, options);
  if (hasErrors(diagnostics)) throw new ValidationError(diagnostics);
  return diagnostics;
}
