// What a trial runs against: the local artifact harness built from the config's `artifact` section.
// `build` runs once (lazily, in the scenario-free working copy); each scenario opens its own target.
import { rmSync } from 'node:fs';
import type { FactoryConfig } from '../domain/config.ts';
import { artifactEnvironment, ArtifactError, isolationStatus, prepareWorkdir, runShell, startHttpArtifact } from './artifact.ts';
import type { CliRunner } from './tools.ts';
import { startTwins, type TwinSession } from './twins/session.ts';
import type { IsolationStatus } from './types.ts';

export type Target = { kind: 'http'; baseUrl: string } | { kind: 'cli'; run: CliRunner };

export interface OpenTarget {
  target: Target;
  /** This trial's fresh twins behind their recording proxies (absent when none are declared). */
  twins?: TwinSession;
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
  /** Declared twins: every open() starts fresh instances first, and the artifact gets their env. */
  twins?: FactoryConfig['twins'];
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
  const twins = options.twins ?? {};
  const hasTwins = Object.keys(twins).length > 0;
  // Twins run from the same scenario-free copy, with the same scrubbed environment.
  const startTrialTwins = (): Promise<TwinSession | undefined> => (hasTwins ? startTwins({ twins, cwd: workdir.dir, env, record: true }) : Promise.resolve(undefined));
  const memo: { build: Promise<void> | null } = { build: null };
  const build = (): Promise<void> => {
    memo.build ??= (async () => {
      if (!artifact.build) return;
      // The build meets twins of its own (it gets their env, as the start does), stopped when it ends.
      const session = await startTrialTwins();
      try {
        const result = await runShell(artifact.build, { cwd: workdir.dir, env: { ...env, ...session?.env }, timeoutMs: options.buildTimeoutMs ?? 15 * 60_000 });
        if (result.exitCode !== 0) throw new ArtifactError(`the artifact's build failed (exit ${String(result.exitCode)}${result.error ? `, ${result.error}` : ''})`);
      } finally {
        await session?.stop();
      }
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
      // Fresh twins before the artifact, every time: trials never share twin state.
      const session = await startTrialTwins();
      const withTwins = session ? { twins: session } : {};
      const trialEnv = { ...env, ...session?.env };
      const twinLogs = async (): Promise<string[]> => (session ? session.stop() : []);
      if (artifact.kind === 'cli') {
        const run: CliRunner = (args, stdin) => runShell(start, { cwd: workdir.dir, env: trialEnv, args, ...(stdin === undefined ? {} : { stdin }), timeoutMs: options.stepTimeoutMs ?? 30_000 });
        return { target: { kind: 'cli', run }, ...withTwins, alive: () => session?.alive() ?? true, close: async () => (await twinLogs()).join('\n') };
      }
      let running;
      try {
        running = await startHttpArtifact({ start, cwd: workdir.dir, env: trialEnv, healthPath: artifact.health.path, healthTimeoutMs: artifact.health.timeout_s * 1000 });
      } catch (error) {
        await twinLogs();
        throw error;
      }
      const artifactRun = running;
      return {
        target: { kind: 'http', baseUrl: artifactRun.baseUrl },
        ...withTwins,
        alive: async () => (session?.alive() ?? true) && (await artifactRun.healthy()),
        async close() {
          await artifactRun.stop();
          return [artifactRun.log(), ...(await twinLogs())].filter((log) => log !== '').join('\n');
        },
      };
    },
  };
}
