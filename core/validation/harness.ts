// What a trial runs against: the local artifact harness built from the config's `artifact` section.
// `build` runs once (lazily, in the scenario-free working copy); each scenario opens its own target.
import { rmSync } from 'node:fs';
import type { FactoryConfig } from '../domain/config.ts';
import { artifactEnvironment, ArtifactError, isolationStatus, prepareWorkdir, runShell, startHttpArtifact } from './artifact.ts';
import type { CliRunner } from './tools.ts';
import type { IsolationStatus } from './types.ts';

export type Target = { kind: 'http'; baseUrl: string } | { kind: 'cli'; run: CliRunner };

export interface OpenTarget {
  target: Target;
  /** Still running and answering (http: its health check). */
  alive(): boolean | Promise<boolean>;
  /** Stops it; resolves to its log (validation side only). */
  close(): Promise<string>;
}

export interface ArtifactHarness {
  isolation: IsolationStatus;
  open(): Promise<OpenTarget>;
  /** Removes the working copy. */
  dispose(): Promise<void>;
}

export interface LocalHarnessOptions {
  artifact: FactoryConfig['artifact'];
  checkout: string;
  scenariosDir: string;
  parentEnv: Readonly<Record<string, string | undefined>>;
  tempRoot?: string;
  buildTimeoutMs?: number;
  stepTimeoutMs?: number;
}

export function createLocalHarness(options: LocalHarnessOptions): ArtifactHarness {
  const { artifact } = options;
  const workdir = prepareWorkdir(options.checkout, options.scenariosDir, options.tempRoot);
  const env = artifactEnvironment(options.parentEnv);
  const memo: { build: Promise<void> | null } = { build: null };
  const build = (): Promise<void> => {
    memo.build ??= (async () => {
      if (!artifact.build) return;
      const result = await runShell(artifact.build, { cwd: workdir.dir, env, timeoutMs: options.buildTimeoutMs ?? 15 * 60_000 });
      if (result.exitCode !== 0) throw new ArtifactError(`the artifact's build failed (exit ${String(result.exitCode)}${result.error ? `, ${result.error}` : ''})`);
    })();
    return memo.build;
  };
  return {
    isolation: isolationStatus(true),
    async dispose() {
      rmSync(workdir.dir, { recursive: true, force: true });
    },
    async open() {
      await build();
      if (!artifact.start) throw new ArtifactError('artifact.start is not set in the config');
      const start = artifact.start;
      if (artifact.kind === 'cli') {
        const run: CliRunner = (args, stdin) => runShell(start, { cwd: workdir.dir, env, args, ...(stdin === undefined ? {} : { stdin }), timeoutMs: options.stepTimeoutMs ?? 30_000 });
        return { target: { kind: 'cli', run }, alive: () => true, close: async () => '' };
      }
      const running = await startHttpArtifact({ start, cwd: workdir.dir, env, healthPath: artifact.health.path, healthTimeoutMs: artifact.health.timeout_s * 1000 });
      return {
        target: { kind: 'http', baseUrl: running.baseUrl },
        alive: running.healthy,
        async close() {
          await running.stop();
          return running.log();
        },
      };
    },
  };
}
