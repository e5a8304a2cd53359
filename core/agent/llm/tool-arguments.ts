// Tool-call arguments arrive as JSON text from OpenAI-shaped APIs; the loop wants an object.

/** Key under which unparseable arguments are kept, so the tool's own validation reports them. */
export const UNPARSED_ARGUMENTS_KEY = '_unparsed_arguments';

export function parseToolArguments(raw: string): Record<string, unknown> {
  if (raw.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through: the model produced something that is not a JSON object
  }
  return { [UNPARSED_ARGUMENTS_KEY]: raw };
}
