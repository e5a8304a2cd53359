// codex-style tools for OpenAI models (spec §3.4): apply_patch in the v4a format, shell, read_file.
import { z } from 'zod';
import { readNumbered, runShell } from './file-ops.ts';
import { defineTool, type Tool } from './tool.ts';
import { applyPatch, PatchError } from './v4a-patch.ts';

export function openaiTools(): Tool[] {
  return [
    defineTool({
      name: 'apply_patch',
      kind: 'apply_patch',
      description:
        'Create, update, move and delete files with a v4a patch: "*** Begin Patch", then "*** Add File: path" (lines prefixed "+"), ' +
        '"*** Delete File: path", or "*** Update File: path" with "@@ context" hunks (" " context, "-" removed, "+" added), then "*** End Patch".',
      schema: z.object({ patch: z.string().min(1) }),
      run: async (a, { env }) => {
        try {
          return { output: (await applyPatch(env, a.patch)).join('\n') };
        } catch (error) {
          if (error instanceof PatchError) return { output: `patch not applied: ${error.message}`, isError: true };
          throw error;
        }
      },
    }),
    defineTool({
      name: 'shell',
      kind: 'shell',
      description: 'Run a shell command in the workspace. timeout_ms defaults to 120000.',
      schema: z.object({ command: z.string().min(1), timeout_ms: z.number().int().positive().optional() }),
      run: (a, { env, signal }) => runShell(env, a.command, signal, a.timeout_ms),
    }),
    defineTool({
      name: 'read_file',
      kind: 'read_file',
      description: 'Read a file with line numbers; offset is 1-based, limit is a line count.',
      schema: z.object({ path: z.string().min(1), offset: z.number().int().min(1).optional(), limit: z.number().int().min(1).optional() }),
      run: (a, { env }) => readNumbered(env, a.path, a.offset, a.limit),
    }),
  ];
}
