// The validation agent's only tools: an HTTP client bound to the artifact's base URL (any other
// host, scheme or port is refused; redirects are not followed) or the artifact's CLI. No file
// tools. Every call is recorded for the checks and the judge.
import { z } from 'zod';
import type { ToolDefinition } from '../agent/llm/types.ts';
import type { CliInteraction, HttpInteraction, Interaction } from './types.ts';

export interface BlackBoxTool {
  definition: ToolDefinition;
  /** Validated arguments → the text the model sees. */
  run(args: unknown): Promise<{ output: string; isError: boolean }>;
}

const MODEL_BODY_LIMIT = 8_000;
const RECORD_BODY_LIMIT = 64_000;

function clip(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit)}\n[… ${text.length - limit} more characters]`;
}

function definitionOf(name: string, description: string, schema: z.ZodType): ToolDefinition {
  const parameters = z.toJSONSchema(schema, { target: 'draft-7' }) as Record<string, unknown>;
  delete parameters.$schema;
  return { name, description, parameters };
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : '(arguments)'}: ${issue.message}`).join('; ');
}

const HttpArgs = z.strictObject({
  method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']),
  path: z.string().min(1).describe('path and query on the artifact, starting with /'),
  headers: z.record(z.string(), z.string()).optional(),
  body: z.union([z.string(), z.record(z.string(), z.unknown()), z.array(z.unknown())]).optional().describe('a string, or JSON (sent as application/json)'),
});

/** Resolves `path` against `baseUrl`; null when the result would leave the artifact's origin. */
export function boundUrl(baseUrl: string, path: string): URL | null {
  if (!path.startsWith('/') || path.startsWith('//') || path.includes('\\')) return null;
  const base = new URL(baseUrl);
  let url: URL;
  try {
    url = new URL(path, base);
  } catch {
    return null;
  }
  return url.origin === base.origin ? url : null;
}

function headersOf(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    out[name.toLowerCase()] = value;
  });
  return out;
}

export function httpTool(baseUrl: string, record: (interaction: Interaction) => void, fetchImpl: typeof fetch = fetch, timeoutMs = 15_000): BlackBoxTool {
  return {
    definition: definitionOf('http_request', `Send one HTTP request to the application under test (only paths on ${new URL(baseUrl).origin}; other hosts are refused).`, HttpArgs),
    async run(raw) {
      const parsed = HttpArgs.safeParse(raw);
      if (!parsed.success) return { output: `invalid arguments: ${describeIssues(parsed.error)}`, isError: true };
      const { method, path, headers = {} } = parsed.data;
      const url = boundUrl(baseUrl, path);
      if (!url) return { output: 'refused: the path must start with / and stay on the application under test', isError: true };
      const requestHeaders: Record<string, string> = { ...headers };
      let body: string | undefined;
      if (typeof parsed.data.body === 'string') body = parsed.data.body;
      else if (parsed.data.body !== undefined) {
        body = JSON.stringify(parsed.data.body);
        if (!Object.keys(requestHeaders).some((name) => name.toLowerCase() === 'content-type')) requestHeaders['content-type'] = 'application/json';
      }
      const interaction: HttpInteraction = { kind: 'http', request: { method, path: url.pathname + url.search, headers: requestHeaders, ...(body === undefined ? {} : { body }) } };
      try {
        const response = await fetchImpl(url, { method, headers: requestHeaders, body, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
        const text = await response.text();
        interaction.response = { status: response.status, headers: headersOf(response.headers), body: clip(text, RECORD_BODY_LIMIT) };
        record(interaction);
        const headerLines = Object.entries(interaction.response.headers).map(([name, value]) => `${name}: ${value}`).join('\n');
        return { output: `HTTP ${response.status}\n${headerLines}\n\n${clip(text, MODEL_BODY_LIMIT)}`, isError: false };
      } catch (error) {
        interaction.error = error instanceof Error ? error.message : String(error);
        record(interaction);
        return { output: `request failed: ${interaction.error}`, isError: true };
      }
    },
  };
}

export interface CliRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  error?: string;
}

/** Runs the artifact's command with `args` appended and `stdin` fed in (artifact.ts provides it). */
export type CliRunner = (args: readonly string[], stdin: string | undefined) => Promise<CliRun>;

const CliArgs = z.strictObject({
  args: z.array(z.string()).max(100).describe('arguments appended to the application command'),
  stdin: z.string().optional().describe('text fed to standard input'),
});

export function cliTool(runner: CliRunner, record: (interaction: Interaction) => void): BlackBoxTool {
  return {
    definition: definitionOf('run_cli', 'Run the application under test with the given arguments and standard input; returns the exit code, stdout and stderr.', CliArgs),
    async run(raw) {
      const parsed = CliArgs.safeParse(raw);
      if (!parsed.success) return { output: `invalid arguments: ${describeIssues(parsed.error)}`, isError: true };
      const { args, stdin } = parsed.data;
      const result = await runner(args, stdin);
      const interaction: CliInteraction = {
        kind: 'cli',
        args: [...args],
        ...(stdin === undefined ? {} : { stdin }),
        exitCode: result.exitCode,
        stdout: clip(result.stdout, RECORD_BODY_LIMIT),
        stderr: clip(result.stderr, RECORD_BODY_LIMIT),
        ...(result.error ? { error: result.error } : {}),
      };
      record(interaction);
      return {
        output: `exit code ${String(result.exitCode)}${result.error ? ` (${result.error})` : ''}\n--- stdout\n${clip(result.stdout, MODEL_BODY_LIMIT)}\n--- stderr\n${clip(result.stderr, MODEL_BODY_LIMIT)}`,
        isError: false,
      };
    },
  };
}
