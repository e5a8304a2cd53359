// Runs the bundled Action (dist/main.js) as a child process with the INPUT_* and GITHUB_* environment
// a runner sets, against a fixture repository and the local GitHub API.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createFixtureRepo, type FixtureRepo } from '../support/git-fixtures.ts';
import { startGitHubServer, type GitHubServer } from '../support/github-server.ts';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const MAIN = join(REPO_ROOT, 'dist/main.js');
export const POST = join(REPO_ROOT, 'dist/post.js');
export const FIXTURES = join(REPO_ROOT, 'test/fixtures/action');
export const OWNER = 'acme';
export const REPO = 'widgets';
export const RUN_ID = '4242';

export function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

/** The product repository: spec, config and graph on the default branch. */
export function productFiles(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    'spec/README.md': fixture('spec-readme.md'),
    '.github/factory.yml': fixture('factory.yml'),
    'factory/pipeline.dot': fixture('pipeline.dot'),
    'README.md': '# widgets\n',
    ...overrides,
  };
}

export interface ActionRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  state: Record<string, string>;
}

/** `name<<delimiter` … `delimiter` blocks of GITHUB_OUTPUT / GITHUB_STATE files. */
export function parseCommandFile(path: string): Record<string, string> {
  if (!existsSync(path)) return {};
  const lines = readFileSync(path, 'utf8').split('\n');
  const values: Record<string, string> = {};
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<]+)<<(.+)$/.exec(lines[i]!);
    if (!match) continue;
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== match[2]; i++) value.push(lines[i]!);
    values[match[1]!] = value.join('\n');
  }
  return values;
}

export interface Scene {
  repo: FixtureRepo;
  github: GitHubServer;
  /** Runner files (outputs, summary, state) and RUNNER_TEMP. */
  runner: string;
  close(): Promise<void>;
}

export async function createScene(files: Record<string, string> = productFiles()): Promise<Scene> {
  const repo = createFixtureRepo(files);
  const github = await startGitHubServer({ owner: OWNER, repo: REPO, defaultBranch: repo.defaultBranch });
  const runner = join(repo.root, 'runner');
  mkdirSync(join(runner, 'temp'), { recursive: true });
  return {
    repo,
    github,
    runner,
    close: async () => {
      await github.close();
      repo.cleanup();
    },
  };
}

export interface RunOptions {
  inputs?: Record<string, string>;
  env?: Record<string, string>;
  /** Called with the child once it has printed this text (e.g. to kill it mid-run). */
  onOutput?: { text: string; act: (child: ReturnType<typeof spawn>) => void };
  script?: string;
}

export function runnerEnv(scene: Scene, options: RunOptions = {}): Record<string, string> {
  const files = { GITHUB_OUTPUT: join(scene.runner, 'output'), GITHUB_STEP_SUMMARY: join(scene.runner, 'summary.md'), GITHUB_STATE: join(scene.runner, 'state') };
  for (const file of Object.values(files)) if (!existsSync(file)) writeFileSync(file, '');
  const inputs: Record<string, string> = {
    command: 'run',
    'github-token': 'ghs_test-token',
    config: '.github/factory.yml',
    ...(options.script ? { models: `scripted:${join(FIXTURES, options.script)}` } : {}),
    ...options.inputs,
  };
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: scene.runner,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
    GITHUB_API_URL: scene.github.url,
    GITHUB_SERVER_URL: 'https://github.example',
    GITHUB_WORKSPACE: scene.repo.work,
    GITHUB_SHA: scene.repo.head,
    GITHUB_REF: `refs/heads/${scene.repo.defaultBranch}`,
    GITHUB_RUN_ID: RUN_ID,
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_EVENT_NAME: 'workflow_dispatch',
    RUNNER_TEMP: join(scene.runner, 'temp'),
    ...files,
    ...Object.fromEntries(Object.entries(inputs).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value])),
    ...options.env,
  };
}

export function runAction(scene: Scene, options: RunOptions = {}, entry = MAIN): Promise<ActionRun> {
  const env = runnerEnv(scene, options);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [entry], { cwd: scene.repo.work, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let acted = false;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (options.onOutput && !acted && stdout.includes(options.onOutput.text)) {
        acted = true;
        options.onOutput.act(child);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        code,
        signal,
        stdout,
        stderr,
        outputs: parseCommandFile(env.GITHUB_OUTPUT!),
        summary: existsSync(env.GITHUB_STEP_SUMMARY!) ? readFileSync(env.GITHUB_STEP_SUMMARY!, 'utf8') : '',
        state: parseCommandFile(env.GITHUB_STATE!),
      });
    });
  });
}
