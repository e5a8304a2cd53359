// gemini-cli's tool shapes for Gemini models (spec §3.6): read_file, read_many_files, write_file,
// edit (old_string → new_string with an expected count), shell, grep, glob and list_dir, with
// gemini-cli's parameter names (file_path, include, expected_replacements).
import { z } from 'zod';
import { globFiles, grepFiles, listDirectory, readMany, readNumbered, replaceString, runShell, writeWhole } from './file-ops.ts';
import { defineTool, type Tool } from './tool.ts';

/** gemini-cli's shell default is short; a call can ask for more (up to the environment's maximum). */
export const GEMINI_SHELL_TIMEOUT_MS = 120_000;

export function geminiTools(): Tool[] {
  return [
    defineTool({
      name: 'read_file',
      kind: 'read_file',
      description: 'Read one file with line numbers. offset is the 1-based first line, limit the number of lines.',
      schema: z.object({ file_path: z.string().min(1), offset: z.number().int().min(1).optional(), limit: z.number().int().min(1).optional() }),
      run: (a, { env }) => readNumbered(env, a.file_path, a.offset, a.limit),
    }),
    defineTool({
      name: 'read_many_files',
      kind: 'read_file',
      description: 'Read several files at once: paths are file paths or glob patterns ("src/**/*.ts"); each file is printed under a "--- path ---" header.',
      schema: z.object({ paths: z.array(z.string().min(1)).min(1) }),
      run: (a, { env }) => readMany(env, a.paths),
    }),
    defineTool({
      name: 'write_file',
      kind: 'write_file',
      description: 'Write content to a file, replacing it if it exists. Parent directories are created.',
      schema: z.object({ file_path: z.string().min(1), content: z.string() }),
      run: (a, { env }) => writeWhole(env, a.file_path, a.content),
      writes: (a) => [a.file_path],
    }),
    defineTool({
      name: 'edit',
      kind: 'edit_file',
      description:
        'Replace old_string with new_string in a file. old_string must match exactly, including whitespace, with enough context to be unique; ' +
        'set expected_replacements when every one of several occurrences is to be replaced.',
      schema: z.object({ file_path: z.string().min(1), old_string: z.string(), new_string: z.string(), expected_replacements: z.number().int().min(1).optional() }),
      run: async (a, { env }) => {
        const expected = a.expected_replacements ?? 1;
        if (expected > 1) {
          const text = await env.readText(a.file_path);
          const found = a.old_string === '' ? 0 : text.split(a.old_string).length - 1;
          if (found !== expected) return { output: `expected ${expected} occurrences of old_string in ${a.file_path}, found ${found}`, isError: true };
        }
        return replaceString(env, a.file_path, a.old_string, a.new_string, expected > 1);
      },
      writes: (a) => [a.file_path],
    }),
    defineTool({
      name: 'shell',
      kind: 'shell',
      description: 'Run a shell command (bash -c) in the workspace. timeout_ms defaults to 120000.',
      schema: z.object({ command: z.string().min(1), description: z.string().optional(), timeout_ms: z.number().int().positive().optional() }),
      run: (a, { env, signal }) => runShell(env, a.command, signal, a.timeout_ms ?? GEMINI_SHELL_TIMEOUT_MS),
    }),
    defineTool({
      name: 'grep',
      kind: 'grep',
      description: 'Search file contents with a regular expression; include is a glob filter such as "*.ts". Prints file:line:text.',
      schema: z.object({ pattern: z.string().min(1), path: z.string().optional(), include: z.string().optional() }),
      run: (a, { env }) => grepFiles(env, a.pattern, a.path, a.include),
    }),
    defineTool({
      name: 'glob',
      kind: 'glob',
      description: 'Find files matching a glob pattern such as "src/**/*.ts", newest first.',
      schema: z.object({ pattern: z.string().min(1), path: z.string().optional() }),
      run: (a, { env }) => globFiles(env, a.pattern, a.path),
    }),
    defineTool({
      name: 'list_dir',
      kind: 'glob',
      description: 'List a directory; depth 1 (default) shows its entries, deeper levels show subdirectories too. Directories end with "/".',
      schema: z.object({ path: z.string().min(1).optional(), depth: z.number().int().min(1).max(5).optional() }),
      run: (a, { env }) => listDirectory(env, a.path ?? '.', a.depth ?? 1),
    }),
  ];
}
