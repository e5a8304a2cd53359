// The provenance trailers on every factory commit (contracts.md §9), built and read back.
export interface StageProvenance {
  /** Run id or URL. */
  run: string;
  specSha: string;
  /** Graph path on the default branch (or the built-in label). */
  graphPath: string;
  graphSha256: string;
  nodeId: string;
  /** `<provider>/<model>` when an LLM stage made the change. */
  model?: string;
}

export const GRAPH_SHA_PREFIX = 12;

export function buildTrailers(provenance: StageProvenance): string[] {
  const trailers = [
    `Factory-Run: ${provenance.run}`,
    `Factory-Spec: ${provenance.specSha}`,
    `Factory-Graph: ${provenance.graphPath}@${provenance.graphSha256.slice(0, GRAPH_SHA_PREFIX)}`,
    `Factory-Node: ${provenance.nodeId}`,
  ];
  if (provenance.model !== undefined) trailers.push(`Factory-Model: ${provenance.model}`);
  return trailers;
}

/** Subject line, a blank line, the trailers: git interprets the last paragraph as trailers. */
export function stageCommitMessage(label: string, provenance: StageProvenance): string {
  const subject = `factory: ${label.replace(/\s+/g, ' ').trim() || provenance.nodeId} (${provenance.nodeId})`.slice(0, 200);
  return `${subject}\n\n${buildTrailers(provenance).join('\n')}\n`;
}

/** `Key: value` trailers of a commit message's last paragraph. */
export function parseTrailers(message: string): Record<string, string> {
  const paragraphs = message.trim().split(/\n\s*\n/);
  const last = paragraphs.at(-1) ?? '';
  const trailers: Record<string, string> = {};
  for (const line of last.split('\n')) {
    const match = /^([A-Za-z][\w-]*): (.+)$/.exec(line.trim());
    if (match) trailers[match[1]!] = match[2]!;
  }
  return trailers;
}
