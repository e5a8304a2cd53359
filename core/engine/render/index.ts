// Drawing graphs (and the runs over them) as text: DOT for Graphviz, Mermaid for Markdown.
export { renderDot } from './dot.ts';
export { renderMermaid, mermaidIds, mermaidLabel } from './mermaid.ts';
export { buildRunOverlay, type NodeState, type RunOverlay, type RunRecord } from './overlay.ts';
