// Bundles the Action into dist/ (committed: a runner executes it without installing anything).
// `node action/build.ts [outdir]`; tests build into a temporary directory and compare with dist/.
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export function bundleOptions(outdir: string): BuildOptions {
  return {
    absWorkingDir: ROOT,
    entryPoints: { main: 'action/main.ts', post: 'action/post.ts' },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node24',
    chunkNames: 'chunk-[hash]',
    minify: true,
    legalComments: 'linked',
    // @azure/storage-blob loads it lazily for Arrow-format blob listings, which the upload never asks
    // for; bundled, it would be a quarter-megabyte chunk nothing imports.
    external: ['apache-arrow'],
    logLevel: 'warning',
    // CommonJS dependencies inside an ES module bundle still call require() for Node's built-ins.
    banner: { js: "import { createRequire as __factoryCreateRequire } from 'node:module'; const require = __factoryCreateRequire(import.meta.url);" },
  };
}

/** Data files the bundled code reads next to itself (`new URL('./<file>', import.meta.url)`). */
const DATA_FILES = ['core/agent/llm/catalog.json'];

export async function bundleAction(outdir: string): Promise<void> {
  rmSync(outdir, { recursive: true, force: true });
  await build(bundleOptions(outdir));
  for (const file of DATA_FILES) copyFileSync(join(ROOT, file), join(outdir, file.slice(file.lastIndexOf('/') + 1)));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await bundleAction(process.argv[2] ?? `${ROOT}dist`);
}
