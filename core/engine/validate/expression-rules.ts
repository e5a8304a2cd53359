// Text embedded in attributes that has its own grammar: edge conditions (§10) and the stylesheet (§8).
import { ConditionSyntaxError, parseCondition, type Clause } from '../conditions.ts';
import type { Diagnostic } from '../diagnostics.ts';
import { attrString, type Graph, type GraphEdge } from '../graph.ts';
import { STAGE_STATUSES } from '../outcome.ts';
import { parseStylesheet, StylesheetSyntaxError } from '../stylesheet.ts';
import { describeEdge, edgeDiagnostic, graphDiagnostic, type LintRule } from './rule.ts';
import { closestMatch } from './suggest.ts';

interface ParsedCondition {
  edge: GraphEdge;
  text: string;
  clauses?: Clause[];
  error?: ConditionSyntaxError;
}

function edgeConditions(graph: Graph): ParsedCondition[] {
  const parsed: ParsedCondition[] = [];
  for (const edge of graph.edges) {
    const text = attrString(edge.attrs, 'condition');
    if (text.trim() === '') continue;
    try {
      parsed.push({ edge, text, clauses: parseCondition(text) });
    } catch (error) {
      if (!(error instanceof ConditionSyntaxError)) throw error;
      parsed.push({ edge, text, error });
    }
  }
  return parsed;
}

export const conditionSyntaxRule: LintRule = {
  name: 'condition_syntax',
  apply(graph) {
    return edgeConditions(graph).flatMap(({ edge, error }) => error === undefined ? [] : [edgeDiagnostic('condition_syntax', edge, {
      severity: 'error',
      message: `${describeEdge(edge)}: ${error.message}`,
      fix: 'write clauses as key=value or key!=value joined by &&, e.g. outcome=success && context.ready=true',
    })]);
  },
};

function outcomeValueFix(value: string): string {
  const lower = value.toLowerCase();
  const suggestion = (STAGE_STATUSES as readonly string[]).includes(lower) ? lower : closestMatch(lower, STAGE_STATUSES);
  return suggestion !== undefined ? `did you mean "${suggestion}"?` : `use one of ${STAGE_STATUSES.join(', ')}`;
}

/** `outcome` only ever holds a stage status, so any other value makes the clause constant. */
export const conditionOutcomeValueRule: LintRule = {
  name: 'condition_outcome_value',
  apply(graph) {
    const diagnostics: Diagnostic[] = [];
    for (const { edge, clauses } of edgeConditions(graph)) {
      for (const clause of clauses ?? []) {
        if (clause.key !== 'outcome' || clause.operator === 'truthy') continue;
        if ((STAGE_STATUSES as readonly string[]).includes(clause.value)) continue;
        diagnostics.push(edgeDiagnostic('condition_outcome_value', edge, {
          severity: 'warning',
          message: `${describeEdge(edge)}: outcome${clause.operator}${clause.value} (column ${clause.column}) compares with "${clause.value}", which is not a stage status (${STAGE_STATUSES.join(', ')})`,
          fix: outcomeValueFix(clause.value),
        }));
      }
    }
    return diagnostics;
  },
};

export const stylesheetSyntaxRule: LintRule = {
  name: 'stylesheet_syntax',
  apply(graph) {
    try {
      parseStylesheet(attrString(graph.attrs, 'model_stylesheet'));
      return [];
    } catch (error) {
      if (!(error instanceof StylesheetSyntaxError)) throw error;
      return [graphDiagnostic('stylesheet_syntax', {
        severity: 'error',
        message: `model_stylesheet: ${error.message}`,
        fix: 'write rules as selector { property: value; }, e.g. * { llm_model: claude-sonnet-4-6; }',
      })];
    }
  },
};

export const EXPRESSION_RULES: readonly LintRule[] = [conditionSyntaxRule, stylesheetSyntaxRule, conditionOutcomeValueRule];
