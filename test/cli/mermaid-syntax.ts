// A structural check of the Mermaid flowchart subset `factory render --format mermaid` writes: every
// line is a statement of a known form, ids are declared before use, and labels are quoted safely.

const ID = '[A-Za-z][A-Za-z0-9_]*';
const LABEL = '"([^"]*)"';
const SHAPES: Array<[string, string]> = [['(((', ')))'], ['((', '))'], ['([', '])'], ['[[', ']]'], ['[(', ')]'], ['{{', '}}'], ['[/', '/]'], ['[/', '\\]'], ['[', ']'], ['{', '}']];
const RESERVED = new Set(['end', 'graph', 'flowchart', 'subgraph', 'style', 'linkstyle', 'classdef', 'class', 'click', 'direction', 'default']);

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

const NODE = new RegExp(`^  (${ID})(${SHAPES.map(([open, close]) => `${escapeRegExp(open)}${LABEL}${escapeRegExp(close)}`).join('|')})$`);
const EDGE = new RegExp(`^  (${ID}) -->(?:\\|${LABEL}\\|)? (${ID})$`);
const CLASS_DEF = /^ {2}classDef ([A-Za-z_][A-Za-z0-9_]*) ([a-z-]+:[^,;\s]+)(,[a-z-]+:[^,;\s]+)*;$/;
const CLASS = new RegExp(`^  class (${ID}(?:,${ID})*) ([A-Za-z_][A-Za-z0-9_]*);$`);
const LINK_STYLE = /^ {2}linkStyle (\d+(?:,\d+)*) ([a-z-]+:[^,;\s]+)(,[a-z-]+:[^,;\s]+)*;$/;

export interface MermaidFlowchart {
  direction: string;
  nodes: Map<string, string>;
  edges: Array<{ from: string; to: string; label?: string }>;
  classes: Map<string, Set<string>>;
  classDefs: Map<string, string>;
  linkStyles: Map<number, string>;
}

/** Parses the text or throws naming the first line that is not valid. */
export function parseMermaidFlowchart(text: string): MermaidFlowchart {
  const lines = text.replace(/\n$/, '').split('\n');
  const header = /^flowchart (TD|TB|LR|RL|BT)$/.exec(lines[0] ?? '');
  if (!header) throw new Error(`line 1 is not a flowchart header: ${lines[0]}`);
  const chart: MermaidFlowchart = { direction: header[1]!, nodes: new Map(), edges: [], classes: new Map(), classDefs: new Map(), linkStyles: new Map() };
  const declared = (id: string, line: number) => {
    if (!chart.nodes.has(id)) throw new Error(`line ${line}: "${id}" is used before it is declared`);
  };
  lines.slice(1).forEach((line, i) => {
    const at = i + 2;
    let match: RegExpExecArray | null;
    if ((match = NODE.exec(line))) {
      const id = match[1]!;
      if (RESERVED.has(id.toLowerCase())) throw new Error(`line ${at}: "${id}" is a Mermaid keyword`);
      if (chart.nodes.has(id)) throw new Error(`line ${at}: "${id}" declared twice`);
      chart.nodes.set(id, match.slice(3).find((group) => group !== undefined) ?? '');
    } else if ((match = EDGE.exec(line))) {
      declared(match[1]!, at);
      declared(match[3]!, at);
      chart.edges.push({ from: match[1]!, to: match[3]!, ...(match[2] !== undefined ? { label: match[2] } : {}) });
    } else if ((match = CLASS_DEF.exec(line))) {
      chart.classDefs.set(match[1]!, line);
    } else if ((match = CLASS.exec(line))) {
      const name = match[2]!;
      if (!chart.classDefs.has(name)) throw new Error(`line ${at}: class "${name}" has no classDef`);
      for (const id of match[1]!.split(',')) {
        declared(id, at);
        const set = chart.classes.get(id) ?? new Set<string>();
        set.add(name);
        chart.classes.set(id, set);
      }
    } else if ((match = LINK_STYLE.exec(line))) {
      for (const index of match[1]!.split(',').map(Number)) {
        if (index >= chart.edges.length) throw new Error(`line ${at}: linkStyle ${index} but only ${chart.edges.length} links`);
        chart.linkStyles.set(index, line);
      }
    } else {
      throw new Error(`line ${at} is not a flowchart statement: ${line}`);
    }
  });
  return chart;
}
