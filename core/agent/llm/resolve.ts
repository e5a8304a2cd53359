// `--model` / `llm_provider` strings → a ready provider. Missing keys are refused here, before any
// stage runs or any request leaves the machine.
import { createAnthropicProvider } from './anthropic.ts';
import { createGeminiProvider } from './gemini.ts';
import { createOpenAiCompatibleProvider } from './openai-compatible.ts';
import { createOpenAiResponsesProvider } from './openai-responses.ts';
import { withRetries, type RetryOptions } from './retrying.ts';
import { loadScriptedProvider } from './scripted.ts';
import { LlmError } from './types.ts';
import type { LlmProvider } from './types.ts';

export interface ResolvedProvider {
  provider: LlmProvider;
  /** The provider-native model id to put in LlmRequest.model. */
  model: string;
}

export interface ResolveOptions {
  fetch?: typeof fetch;
  readFile?: (path: string) => string;
  /** Retry policy for the network providers; `false` returns the bare provider. */
  retry?: RetryOptions | false;
  /** Stream responses (default true). */
  stream?: boolean;
}

type Env = Record<string, string | undefined>;

function configurationError(message: string): LlmError {
  return new LlmError('configuration', message, { provider: 'resolve' });
}

function requireEnv(env: Env, name: string, spec: string): string {
  const value = env[name]?.trim();
  if (!value) throw configurationError(`model ${spec} needs ${name} in the environment; it is not set`);
  return value;
}

/** GEMINI_API_KEY, else GOOGLE_API_KEY (the name Google's own tools also read). */
function geminiKey(env: Env, spec: string): string {
  const key = optionalEnv(env, 'GEMINI_API_KEY') ?? optionalEnv(env, 'GOOGLE_API_KEY');
  if (!key) throw configurationError(`model ${spec} needs GEMINI_API_KEY (or GOOGLE_API_KEY) in the environment; neither is set`);
  return key;
}

function optionalEnv(env: Env, name: string): string | undefined {
  return env[name]?.trim() || undefined;
}

/**
 * `anthropic/<model>`, `openai/<model>`, `gemini/<model>`, `openai-compatible/<model>` (the model may contain
 * slashes, as local model names often do) or `scripted:<file>`.
 */
export function resolveProvider(spec: string, env: Env = process.env, options: ResolveOptions = {}): ResolvedProvider {
  if (spec.startsWith('scripted:')) {
    const file = spec.slice('scripted:'.length);
    if (!file) throw configurationError(`model ${spec}: name the script file, as scripted:<file>`);
    return { provider: loadScriptedProvider(file, options.readFile), model: 'scripted' };
  }
  const slash = spec.indexOf('/');
  const providerName = slash < 0 ? spec : spec.slice(0, slash);
  const model = slash < 0 ? '' : spec.slice(slash + 1);
  if (!model) throw configurationError(`model ${spec}: expected <provider>/<model> (anthropic, openai, gemini, openai-compatible) or scripted:<file>`);
  const now = options.retry ? options.retry.clock?.now : undefined;
  const common = { ...(options.fetch ? { fetch: options.fetch } : {}), ...(options.stream === false ? { stream: false } : {}), ...(now ? { now } : {}) };

  let provider: LlmProvider;
  switch (providerName) {
    case 'anthropic':
      provider = createAnthropicProvider({ apiKey: requireEnv(env, 'ANTHROPIC_API_KEY', spec), baseURL: optionalEnv(env, 'ANTHROPIC_BASE_URL'), ...common });
      break;
    case 'openai':
      provider = createOpenAiResponsesProvider({ apiKey: requireEnv(env, 'OPENAI_API_KEY', spec), baseURL: optionalEnv(env, 'OPENAI_BASE_URL'), ...common });
      break;
    case 'gemini':
      provider = createGeminiProvider({ apiKey: geminiKey(env, spec), baseURL: optionalEnv(env, 'GEMINI_BASE_URL'), ...common });
      break;
    case 'openai-compatible':
      provider = createOpenAiCompatibleProvider({ baseURL: requireEnv(env, 'OPENAI_BASE_URL', spec), apiKey: optionalEnv(env, 'OPENAI_API_KEY'), ...common });
      break;
    default:
      throw configurationError(`model ${spec}: unknown provider ${providerName}; use anthropic, openai, gemini, openai-compatible or scripted:<file>`);
  }
  return { provider: options.retry === false ? provider : withRetries(provider, options.retry), model };
}
