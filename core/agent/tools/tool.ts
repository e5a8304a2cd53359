// What a tool is to the loop: a name the model knows, zod-validated arguments, and an executor.
import { z } from 'zod';
import type { ToolDefinition } from '../llm/types.ts';
import type { ExecutionEnvironment } from '../env/environment.ts';

export interface ToolContext {
  env: ExecutionEnvironment;
  signal: AbortSignal;
}

export interface ToolOutput {
  output: string;
  isError?: boolean;
  /** A successful call of a stopping tool (report_outcome) ends the loop after this turn's calls. */
  stop?: boolean;
}

export interface Tool {
  name: string;
  /** The portable tool this one corresponds to; selects its output limits (spec §5.2). */
  kind: string;
  description: string;
  schema: z.ZodType;
  run(args: unknown, context: ToolContext): Promise<ToolOutput>;
  /**
   * The workspace paths a call with these (validated) arguments writes, so that calls of one turn
   * writing the same path run one after another; absent for tools that write nothing they can name.
   */
  writes?(args: unknown): string[];
}

export function defineTool<S extends z.ZodType>(spec: {
  name: string;
  kind: string;
  description: string;
  schema: S;
  run(args: z.infer<S>, context: ToolContext): Promise<ToolOutput>;
  writes?(args: z.infer<S>): string[];
}): Tool {
  const writes = spec.writes;
  return { ...spec, run: (args, context) => spec.run(args as z.infer<S>, context), ...(writes ? { writes: (args: unknown) => writes(args as z.infer<S>) } : {}) };
}

export function toolDefinition(tool: Tool): ToolDefinition {
  const schema = z.toJSONSchema(tool.schema, { target: 'draft-7' }) as Record<string, unknown>;
  delete schema.$schema;
  return { name: tool.name, description: tool.description, parameters: schema };
}

/** A readable one-line account of why the arguments were refused, for the model to correct. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : '(arguments)'}: ${issue.message}`).join('; ');
}
