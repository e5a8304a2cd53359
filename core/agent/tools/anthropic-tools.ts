// Claude Code's tool shapes and parameter names, which Anthropic models were trained on (spec §3.5).
import { z } from 'zod';
import { globFiles, grepFiles, readNumbered, replaceString, runShell, writeWhole } from './file-ops.ts';
import { defineTool, type Tool } from './tool.ts';

export function anthropicTools(): Tool[] {
  return [
    defineTool({
      name: 'Read',
      kind: 'read_file',
      description: 'Read a file from the workspace. Lines are numbered from 1; use offset and limit for large files.',
      schema: z.object({ file_path: z.string().min(1), offset: z.number().int().min(1).optional(), limit: z.number().int().min(1).optional() }),
      run: (a, { env }) => readNumbered(env, a.file_path, a.offset, a.limit),
    }),
    defineTool({
      name: 'Write',
      kind: 'write_file',
      description: 'Write a file, replacing it if it exists. Parent directories are created.',
      schema: z.object({ file_path: z.string().min(1), content: z.string() }),
      run: (a, { env }) => writeWhole(env, a.file_path, a.content),
      writes: (a) => [a.file_path],
    }),
    defineTool({
      name: 'Edit',
      kind: 'edit_file',
      description: 'Replace old_string with new_string in a file. old_string must be unique unless replace_all is true.',
      schema: z.object({ file_path: z.string().min(1), old_string: z.string(), new_string: z.string(), replace_all: z.boolean().optional() }),
      run: (a, { env }) => replaceString(env, a.file_path, a.old_string, a.new_string, a.replace_all ?? false),
      writes: (a) => [a.file_path],
    }),
    defineTool({
      name: 'Bash',
      kind: 'shell',
      description: 'Run a shell command in the workspace. timeout is in milliseconds (default 120000, max 600000).',
      schema: z.object({ command: z.string().min(1), timeout: z.number().int().positive().optional(), description: z.string().optional() }),
      run: (a, { env, signal }) => runShell(env, a.command, signal, a.timeout),
    }),
    defineTool({
      name: 'Grep',
      kind: 'grep',
      description: 'Search file contents with a regular expression; prints file:line:text.',
      schema: z.object({ pattern: z.string().min(1), path: z.string().optional(), glob: z.string().optional(), '-i': z.boolean().optional() }),
      run: (a, { env }) => grepFiles(env, a.pattern, a.path, a.glob, a['-i']),
    }),
    defineTool({
      name: 'Glob',
      kind: 'glob',
      description: 'List files matching a glob pattern such as "src/**/*.ts", newest first.',
      schema: z.object({ pattern: z.string().min(1), path: z.string().optional() }),
      run: (a, { env }) => globFiles(env, a.pattern, a.path),
    }),
  ];
}
