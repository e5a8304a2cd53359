// codex-style tools for OpenAI models (spec §3.4): apply_patch in the v4a format, shell, read_file.
import { z } from 'zod';
import { readFileTool, shellTool } from './portable-tools.ts';
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
    shellTool(),
    readFileTool(),
  ];
}
