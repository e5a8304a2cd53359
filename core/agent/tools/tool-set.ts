// Which tool set a provider's models get (issue 3 §2: tools shaped the way each family was trained).
import { anthropicTools } from './anthropic-tools.ts';
import { geminiTools } from './gemini-tools.ts';
import { openaiTools } from './openai-tools.ts';
import { portableTools } from './portable-tools.ts';
import type { Tool } from './tool.ts';

export type ToolFamily = 'anthropic' | 'openai' | 'gemini' | 'portable';

export function toolFamilyFor(providerName: string): ToolFamily {
  if (providerName === 'anthropic') return 'anthropic';
  if (providerName === 'openai') return 'openai';
  if (providerName === 'gemini') return 'gemini';
  return 'portable';
}

export function toolSetFor(family: ToolFamily): Tool[] {
  if (family === 'anthropic') return anthropicTools();
  if (family === 'openai') return openaiTools();
  if (family === 'gemini') return geminiTools();
  return portableTools();
}
