// One colour scheme for every drawing format, so a run looks the same as SVG and as Mermaid.
import type { NodeState } from './overlay.ts';

export interface NodeColours {
  fill: string;
  stroke: string;
  text: string;
}

export const STATE_COLOURS: Readonly<Record<NodeState, NodeColours>> = {
  success: { fill: '#c8e6c9', stroke: '#2e7d32', text: '#1b5e20' },
  partial_success: { fill: '#f0f4c3', stroke: '#9e9d24', text: '#33691e' },
  retry: { fill: '#ffe0b2', stroke: '#ef6c00', text: '#e65100' },
  fail: { fill: '#ffcdd2', stroke: '#c62828', text: '#b71c1c' },
  skipped: { fill: '#e1f5fe', stroke: '#0277bd', text: '#01579b' },
  waiting: { fill: '#fff59d', stroke: '#f9a825', text: '#5d4037' },
  cancelled: { fill: '#f8bbd0', stroke: '#ad1457', text: '#880e4f' },
  not_visited: { fill: '#f5f5f5', stroke: '#bdbdbd', text: '#9e9e9e' },
};

export const TAKEN_EDGE_COLOUR = '#1565c0';
export const TAKEN_EDGE_WIDTH = 3;
export const OTHER_EDGE_COLOUR = '#bdbdbd';
export const STOPPED_BORDER_COLOUR = '#6a1b9a';
export const STOPPED_BORDER_WIDTH = 4;
