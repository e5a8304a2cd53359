// Runs every bench/*.bench.ts in its own Node 24 process, one after another, and forwards the JSON
// figure lines they print (contracts.md §10) to stdout. Anything else a benchmark prints to stdout
// goes to stderr, so stdout stays one JSON object per line.
//
//   npm run bench                 every benchmark
//   npm run bench -- parse        only those whose file name contains "parse"
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const benchDir = dirname(fileURLToPath(import.meta.url));
const repoRoot = dirname(benchDir);

/** The project's own Node 24 (the `node` npm package) when present, else the node running this script. */
function nodeBinary() {
  const local = join(repoRoot, 'node_modules', '.bin', process.platform === 'win32' ? 'node.cmd' : 'node');
  const major = Number(process.versions.node.split('.')[0]);
  if (major >= 24 || !existsSync(local)) return process.execPath;
  return local;
}

function isFigure(line) {
  try {
    const value = JSON.parse(line);
    return typeof value === 'object' && value !== null && typeof value.bench === 'string' && typeof value.metric === 'string';
  } catch {
    return false;
  }
}

function runOne(node, file) {
  return new Promise((resolve) => {
    const child = spawn(node, ['--expose-gc', '--no-warnings=ExperimentalWarning', join(benchDir, file)], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      if (isFigure(line)) process.stdout.write(`${line}\n`);
      else if (line.trim() !== '') process.stderr.write(`${file}: ${line}\n`);
    });
    child.on('error', (error) => {
      process.stderr.write(`${file}: cannot start: ${error.message}\n`);
      resolve(1);
    });
    child.on('close', (code, signal) => {
      if (code !== 0) process.stderr.write(`${file}: exited with ${signal ?? `code ${code}`}\n`);
      resolve(code ?? 1);
    });
  });
}

const filter = process.argv[2];
const files = readdirSync(benchDir)
  .filter((name) => name.endsWith('.bench.ts'))
  .filter((name) => filter === undefined || name.includes(filter))
  .sort();

if (files.length === 0) {
  process.stderr.write(filter === undefined ? 'no benchmarks in bench/\n' : `no benchmark matches "${filter}"\n`);
  process.exit(1);
}

const node = nodeBinary();
let failed = 0;
for (const file of files) {
  process.stderr.write(`bench: ${file}\n`);
  if ((await runOne(node, file)) !== 0) failed++;
}
if (failed > 0) {
  process.stderr.write(`bench: ${failed} of ${files.length} benchmarks failed\n`);
  process.exitCode = 1;
}
