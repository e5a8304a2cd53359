// The LLM provider layer: one interface (types.ts), five providers on one kit (provider-kit.ts), one retry policy, one model catalog.
export * from './types.ts';
export { createAnthropicProvider, buildAnthropicParams, normaliseAnthropicUsage, thinkingControls, type AnthropicProviderOptions } from './anthropic.ts';
export { createOpenAiResponsesProvider, buildResponsesParams, normaliseResponsesUsage, type OpenAiResponsesProviderOptions } from './openai-responses.ts';
export { createGeminiProvider, buildGeminiParams, normaliseGeminiUsage, geminiThinking, type GeminiProviderOptions } from './gemini.ts';
export { createOpenAiCompatibleProvider, buildChatParams, normaliseChatUsage, type OpenAiCompatibleProviderOptions } from './openai-compatible.ts';
export { createScriptedProvider, loadScriptedProvider, parseScript, estimateTokens, type ScriptFile, type ScriptedTurn } from './scripted.ts';
export { toLlmError, retryAfterMs } from './errors.ts';
export { withRetries, DEFAULT_LLM_BACKOFF, DEFAULT_LLM_MAX_ATTEMPTS, type RetryOptions } from './retrying.ts';
export { resolveProvider, type ResolvedProvider, type ResolveOptions } from './resolve.ts';
export { modelCatalog, ModelCatalog, loadCatalogFile, parseCatalog, parseCatalogText, unpricedModels, unpricedMessage, costAt, type CatalogFile, type CatalogEntry, type ModelInfo, type ModelPrice } from './catalog.ts';
