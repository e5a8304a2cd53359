// The plain tool set of the loop spec (§3.3) for OpenAI-compatible servers and unknown models, and
// the builders the provider sets share where their names and parameters match the spec's.
import { z } from 'zod';
import { globFiles, grepFiles, readNumbered, replaceString, runShell, writeWhole } from './file-ops.ts';
import { defineTool, type Tool } from './tool.ts';

/** `read_file` with line numbers; shared by the portable, OpenAI and Gemini sets. */
export function readFileTool(): Tool {
  return defineTool({
    name: 'read_file',
    kind: 'read_file',
    description: 'Read a file with line numbers; offset is 1-based, limit is a line count.',
    schema: z.object({ path: z.string().min(1), offset: z.number().int().min(1).optional(), limit: z.number().int().min(1).optional() }),
    run: (a, { env }) => readNumbered(env, a.path, a.offset, a.limit),
  });
}

/** `write_file`; shared by the portable and OpenAI sets. */
export function writeFileTool(): Tool {
  return defineTool({
    name: 'write_file',
    kind: 'write_file',
    description: 'Write a file, replacing it if it exists. Parent directories are created.',
    schema: z.object({ path: z.string().min(1), content: z.string() }),
    run: (a, { env }) => writeWhole(env, a.path, a.content),
    writes: (a) => [a.path],
  });
}

/** `shell` in the confined environment; shared by the portable, OpenAI and Gemini sets. */
export function shellTool(): Tool {
  return defineTool({
    name: 'shell',
    kind: 'shell',
    description: 'Run a shell command in the workspace. timeout_ms defaults to 120000.',
    schema: z.object({ command: z.string().min(1), timeout_ms: z.number().int().positive().optional() }),
    run: (a, { env, signal }) => runShell(env, a.command, signal, a.timeout_ms),
  });
}

/** `grep`; shared by the portable and OpenAI sets. */
export function grepTool(): Tool {
  return defineTool({
    name: 'grep',
    kind: 'grep',
    description: 'Search file contents with a regular expression; prints file:line:text.',
    schema: z.object({ pattern: z.string().min(1), path: z.string().optional(), glob: z.string().optional(), case_insensitive: z.boolean().optional() }),
    run: (a, { env }) => grepFiles(env, a.pattern, a.path, a.glob, a.case_insensitive),
  });
}

/** `glob`; shared by the portable, OpenAI and Gemini sets. */
export function globTool(): Tool {
  return defineTool({
    name: 'glob',
    kind: 'glob',
    description: 'List files matching a glob pattern such as "src/**/*.ts", newest first.',
    schema: z.object({ pattern: z.string().min(1), path: z.string().optional() }),
    run: (a, { env }) => globFiles(env, a.pattern, a.path),
  });
}

export function portableTools(): Tool[] {
  return [
    readFileTool(),
    writeFileTool(),
    defineTool({
      name: 'edit_file',
      kind: 'edit_file',
      description: 'Replace old_string with new_string in a file; old_string must be unique unless replace_all is true.',
      schema: z.object({ path: z.string().min(1), old_string: z.string(), new_string: z.string(), replace_all: z.boolean().optional() }),
      run: (a, { env }) => replaceString(env, a.path, a.old_string, a.new_string, a.replace_all ?? false),
      writes: (a) => [a.path],
    }),
    shellTool(),
    grepTool(),
    globTool(),
  ];
}
