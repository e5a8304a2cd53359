// The coding agent's public surface: the codergen backend, the loop, tools and environment.
export { AgentBackend, createAgentBackend, NO_OUTCOME_REMINDER, type AgentBackendOptions, type ModelChoice } from './backend/agent-backend.ts';
export { createModelChooser, type ModelChooser, type Resolver } from './backend/model-choice.ts';
export { fidelityPreamble, type PreambleInput } from './backend/fidelity-preamble.ts';
export { REPORT_OUTCOME, reportOutcomeTool, type OutcomeReport } from './backend/report-outcome.ts';
export { buildSystemPrompt, type PromptLayers } from './backend/system-prompt.ts';
export { ExecutionEnvironment, type EnvironmentOptions } from './env/environment.ts';
export { DEFAULT_COMMAND_TIMEOUT_MS, runCommand, type CommandResult } from './env/run-command.ts';
export { isSecretVariable, scrubEnvironment } from './env/scrub-env.ts';
export { Workspace, WorkspaceEscapeError } from './env/workspace.ts';
export type { AgentEvent } from './loop/agent-events.ts';
export { Budget, BudgetExhaustedError } from './loop/budget.ts';
export { callSignature, isLooping } from './loop/loop-detection.ts';
export { DEFAULT_MAX_TURNS, Session, type CostFunction, type RunLimits, type RunResult, type SessionOptions, type StopReason } from './loop/session.ts';
export { truncateToolOutput, DEFAULT_OUTPUT_LIMITS } from './loop/truncation.ts';
export { toolFamilyFor, toolSetFor, type ToolFamily } from './tools/tool-set.ts';
export type { Tool, ToolContext, ToolOutput } from './tools/tool.ts';
export { applyPatch, parsePatch, PatchError } from './tools/v4a-patch.ts';
