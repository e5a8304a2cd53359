// codex-style tools for OpenAI models (spec §3.4): apply_patch in the v4a format for edits, beside
// the shared read_file, write_file, shell, grep and glob.
import { z } from 'zod';
import { globTool, grepTool, readFileTool, shellTool, writeFileTool } from './portable-tools.ts';
import { defineTool, type Tool } from './tool.ts';
import { applyPatch, parsePatch, PatchError } from './v4a-patch.ts';

/** Every path a patch adds, deletes, updates or moves to; none when it does not parse. */
function patchPaths(patch: string): string[] {
  try {
    return parsePatch(patch).flatMap((op) => (op.kind === 'update' && op.moveTo ? [op.path, op.moveTo] : [op.path]));
  } catch {
    return [];
  }
}

export function openaiTools(): Tool[] {
  return [
    readFileTool(),
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
      writes: (a) => patchPaths(a.patch),
    }),
    writeFileTool(),
    shellTool(),
    grepTool(),
    globTool(),
  ];
}
