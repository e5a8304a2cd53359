// Per-node expectations of §7.2 and of the handlers: known types, targets that exist, required inputs.
import { FIDELITY_MODES } from '../backend.ts';
import type { Diagnostic } from '../diagnostics.ts';
import { attrBoolean, attrString, type Graph } from '../graph.ts';
import { declaredHandlerType } from '../handler.ts';
import { describeEdge, edgeDiagnostic, graphDiagnostic, nodeDiagnostic, type LintRule } from './rule.ts';
import { didYouMean } from './suggest.ts';

const RETRY_TARGET_KEYS = ['retry_target', 'fallback_retry_target'] as const;

export const typeKnownRule: LintRule = {
  name: 'type_known',
  apply(graph, env) {
    const diagnostics: Diagnostic[] = [];
    for (const node of graph.nodes.values()) {
      const type = attrString(node.attrs, 'type');
      if (type === '' || env.knownTypes.has(type)) continue;
      diagnostics.push(nodeDiagnostic('type_known', node, {
        severity: 'warning',
        message: `node "${node.id}" has type "${type}", which no registered handler provides`,
        fix: didYouMean(type, env.knownTypes) ?? `use one of ${[...env.knownTypes].join(', ')}, or register a handler for "${type}"`,
      }));
    }
    return diagnostics;
  },
};

function fidelityFix(value: string): string {
  return didYouMean(value, FIDELITY_MODES) ?? `use one of ${FIDELITY_MODES.join(', ')}`;
}

function isFidelityMode(value: string): boolean {
  return (FIDELITY_MODES as readonly string[]).includes(value);
}

export const fidelityValidRule: LintRule = {
  name: 'fidelity_valid',
  apply(graph) {
    const diagnostics: Diagnostic[] = [];
    const graphDefault = attrString(graph.attrs, 'default_fidelity');
    if (graphDefault !== '' && !isFidelityMode(graphDefault)) {
      diagnostics.push(graphDiagnostic('fidelity_valid', {
        severity: 'warning',
        message: `graph default_fidelity "${graphDefault}" is not a fidelity mode`,
        fix: fidelityFix(graphDefault),
      }));
    }
    for (const node of graph.nodes.values()) {
      const value = attrString(node.attrs, 'fidelity');
      if (value === '' || isFidelityMode(value)) continue;
      diagnostics.push(nodeDiagnostic('fidelity_valid', node, {
        severity: 'warning',
        message: `node "${node.id}" has fidelity "${value}", which is not a fidelity mode`,
        fix: fidelityFix(value),
      }));
    }
    for (const edge of graph.edges) {
      const value = attrString(edge.attrs, 'fidelity');
      if (value === '' || isFidelityMode(value)) continue;
      diagnostics.push(edgeDiagnostic('fidelity_valid', edge, {
        severity: 'warning',
        message: `${describeEdge(edge)} has fidelity "${value}", which is not a fidelity mode`,
        fix: fidelityFix(value),
      }));
    }
    return diagnostics;
  },
};

export const retryTargetExistsRule: LintRule = {
  name: 'retry_target_exists',
  apply(graph) {
    const diagnostics: Diagnostic[] = [];
    const ids = [...graph.nodes.keys()];
    const fix = (target: string) => didYouMean(target, ids) ?? 'name an existing node';
    for (const key of RETRY_TARGET_KEYS) {
      const target = attrString(graph.attrs, key);
      if (target === '' || graph.nodes.has(target)) continue;
      diagnostics.push(graphDiagnostic('retry_target_exists', {
        severity: 'warning',
        message: `graph ${key} "${target}" is not a node of the graph`,
        fix: fix(target),
      }));
    }
    for (const node of graph.nodes.values()) {
      for (const key of RETRY_TARGET_KEYS) {
        const target = attrString(node.attrs, key);
        if (target === '' || graph.nodes.has(target)) continue;
        diagnostics.push(nodeDiagnostic('retry_target_exists', node, {
          severity: 'warning',
          message: `node "${node.id}" has ${key} "${target}", which is not a node of the graph`,
          fix: fix(target),
        }));
      }
    }
    return diagnostics;
  },
};

function hasRetryTarget(attrs: Graph['attrs']): boolean {
  return RETRY_TARGET_KEYS.some((key) => attrString(attrs, key) !== '');
}

/** An unsatisfied goal gate with nowhere to retry can only end the run as failed (§3.4). */
export const goalGateHasRetryRule: LintRule = {
  name: 'goal_gate_has_retry',
  apply(graph) {
    if (hasRetryTarget(graph.attrs)) return [];
    return [...graph.nodes.values()]
      .filter((node) => attrBoolean(node.attrs, 'goal_gate') && !hasRetryTarget(node.attrs))
      .map((node) => nodeDiagnostic('goal_gate_has_retry', node, {
        severity: 'warning',
        message: `goal gate "${node.id}" has no retry_target or fallback_retry_target (nor has the graph); an unmet gate fails the run`,
        fix: `add retry_target=<node to rerun> to "${node.id}" or to the graph`,
      }));
  },
};

/** §7.2 accepts a label in place of a prompt: the codergen handler falls back to it. */
export const promptOnLlmNodesRule: LintRule = {
  name: 'prompt_on_llm_nodes',
  apply(graph) {
    return [...graph.nodes.values()]
      .filter((node) => declaredHandlerType(node) === 'codergen')
      .filter((node) => attrString(node.attrs, 'prompt').trim() === '' && attrString(node.attrs, 'label').trim() === '')
      .map((node) => nodeDiagnostic('prompt_on_llm_nodes', node, {
        severity: 'warning',
        message: `LLM node "${node.id}" has neither a prompt nor a label`,
        fix: `add prompt="..." to "${node.id}"`,
      }));
  },
};

export const toolCommandRule: LintRule = {
  name: 'tool_command',
  apply(graph) {
    return [...graph.nodes.values()]
      .filter((node) => declaredHandlerType(node) === 'tool' && attrString(node.attrs, 'tool_command').trim() === '')
      .map((node) => nodeDiagnostic('tool_command', node, {
        severity: 'error',
        message: `tool node "${node.id}" has no tool_command to run`,
        fix: `add tool_command="..." to "${node.id}"`,
      }));
  },
};

export const NODE_RULES: readonly LintRule[] = [
  typeKnownRule, fidelityValidRule, retryTargetExistsRule, goalGateHasRetryRule, promptOnLlmNodesRule, toolCommandRule,
];
