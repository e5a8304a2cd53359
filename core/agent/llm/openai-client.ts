// The `openai` SDK client both OpenAI-shaped providers use: our connection options, and no
// organization or project read from the environment (the key alone decides the account).
import OpenAI from 'openai';
import { sdkClientOptions, type ProviderConnection } from './provider-kit.ts';

export function createOpenAiClient(connection: ProviderConnection & { apiKey: string; baseURL: string }): OpenAI {
  return new OpenAI({ ...sdkClientOptions(connection), organization: null, project: null });
}
