// DOT → SVG through Graphviz compiled to WebAssembly; only hosts draw pictures, the engine never does.
import { Graphviz } from '@hpcc-js/wasm-graphviz';

/** The `<svg>` element alone: the XML prolog, doctype and generator comments are dropped so it embeds anywhere. */
export async function dotToSvg(dot: string): Promise<string> {
  const graphviz = await Graphviz.load();
  const svg = graphviz.dot(dot);
  const start = svg.indexOf('<svg');
  return start >= 0 ? svg.slice(start) : svg;
}
