// Names that end up in paths: a node id names its stage directory (`<logs>/<id>/`), and file systems
// refuse a path segment over 255 bytes with ENAMETOOLONG mid-run. Lint says so before the run starts.
import type { Diagnostic } from '../diagnostics.ts';
import { MAX_NODE_ID_LENGTH } from '../run/run-dir.ts';
import { nodeDiagnostic, type LintRule } from './rule.ts';

/** The start of a long name, for messages that must not repeat 200,000 characters. */
export function shortName(name: string, keep = 40): string {
  return name.length <= keep ? name : `${name.slice(0, keep)}… (${name.length} characters)`;
}

export const nameLengthRule: LintRule = {
  name: 'name_length',
  apply(graph) {
    const diagnostics: Diagnostic[] = [];
    for (const node of graph.nodes.values()) {
      if (node.id.length <= MAX_NODE_ID_LENGTH) continue;
      diagnostics.push(nodeDiagnostic('name_length', node, {
        severity: 'error',
        message: `node id "${shortName(node.id)}" is longer than ${MAX_NODE_ID_LENGTH} characters, the limit for a name that becomes the stage directory`,
        fix: `use an id of at most ${MAX_NODE_ID_LENGTH} characters (a label can hold the long text)`,
      }));
    }
    return diagnostics;
  },
};

export const NAME_RULES: readonly LintRule[] = [nameLengthRule];
