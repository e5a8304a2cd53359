// The session a spawn_agent call starts: the parent's provider, model and tool family, a working
// directory confined to the parent's workspace, a system prompt for a subagent (its own project
// docs and environment block), and subagent tools of its own only below the depth limit.
import { statSync } from 'node:fs';
import { baseInstructions } from '../backend/base-instructions.ts';
import { environmentBlock } from '../backend/environment-block.ts';
import { projectInstructions } from '../backend/project-docs.ts';
import { ExecutionEnvironment } from '../env/environment.ts';
import type { LlmProvider, ReasoningEffort } from '../llm/types.ts';
import { Session, type CostFunction, type RunLimits } from '../loop/session.ts';
import type { OutputLimit } from '../loop/truncation.ts';
import { toolSetFor, type ToolFamily } from '../tools/tool-set.ts';
import { DEFAULT_MAX_SUBAGENT_DEPTH, Subagents, subagentTools, type SpawnRequest } from './subagents.ts';

export interface SubagentSpec {
  provider: LlmProvider;
  model: string;
  family: ToolFamily;
  /** The parent's environment; a child's working_dir must resolve inside its workspace. */
  parentEnv: ExecutionEnvironment;
  /** The parent process environment the child's shell environment is scrubbed from. */
  processEnv?: Readonly<Record<string, string | undefined>>;
  commandTimeoutMs?: number;
  now: () => number;
  costOf?: CostFunction;
  outputLimits?: Readonly<Record<string, OutputLimit>>;
  reasoningEffort?: ReasoningEffort;
  /** The parent's run limits, read when a child starts (budgets, hooks and signal are shared). */
  limits: () => RunLimits;
  /** How deep children may nest; default 1 (children have no subagent tools). */
  maxDepth?: number;
  /** The depth of the parent (a stage's agent is 0). */
  depth?: number;
}

function childEnvironment(spec: SubagentSpec, workingDir: string | undefined): ExecutionEnvironment {
  const root = workingDir ? spec.parentEnv.workspace.resolve(workingDir) : spec.parentEnv.root;
  if (!statSync(root, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`working_dir ${workingDir} is not a directory of the workspace`);
  return new ExecutionEnvironment({ root, env: spec.processEnv, defaultTimeoutMs: spec.commandTimeoutMs, now: spec.now });
}

/** The subagents of a session at `spec.depth`, or undefined at the depth limit. */
export function subagentsFor(spec: SubagentSpec): Subagents | undefined {
  const depth = spec.depth ?? 0;
  if (depth >= (spec.maxDepth ?? DEFAULT_MAX_SUBAGENT_DEPTH)) return undefined;
  return new Subagents({
    limits: spec.limits,
    createSession: (request: SpawnRequest) => {
      const env = childEnvironment(spec, request.workingDir);
      const grandchildren = subagentsFor({ ...spec, parentEnv: env, depth: depth + 1 });
      const system = [
        baseInstructions(spec.family, { role: 'subagent', subagents: grandchildren !== undefined }),
        environmentBlock(env.root, new Date(spec.now()), process.platform, spec.model),
        projectInstructions(env.root, spec.family),
      ].filter((layer) => layer.trim() !== '').join('\n\n');
      return new Session({
        provider: spec.provider,
        model: spec.model,
        system,
        tools: [...toolSetFor(spec.family), ...(grandchildren ? subagentTools(grandchildren) : [])],
        env,
        ...(spec.reasoningEffort ? { reasoningEffort: spec.reasoningEffort } : {}),
        ...(spec.outputLimits ? { outputLimits: spec.outputLimits } : {}),
        ...(spec.costOf ? { costOf: spec.costOf } : {}),
        now: spec.now,
      });
    },
  });
}
