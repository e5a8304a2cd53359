// Which models `factory demo` uses: an explicit --model, else a provider whose key is set, else the
// recorded sessions shipped with the example (no key, no network, no cost).
export interface DemoModels {
  factory: string;
  validation: string;
  /** The recorded sessions replay; nothing is sent to a provider. */
  recorded: boolean;
  /** One sentence for the user: what runs and why. */
  explanation: string;
}

export interface Recordings {
  factory: string;
  validation: string;
}

/** Models that build and judge the example well at a moderate price (core/agent/llm/catalog.json). */
export const DEMO_PROVIDER_MODELS = {
  anthropic: 'anthropic/claude-sonnet-4-6',
  openai: 'openai/gpt-5.2',
} as const;

export function chooseDemoModels(explicit: string | undefined, env: NodeJS.ProcessEnv, recordings: Recordings): DemoModels {
  if (explicit !== undefined) {
    const recorded = explicit.startsWith('scripted:');
    return { factory: explicit, validation: explicit, recorded, explanation: `Model: ${explicit} (--model), for the factory run and the validation.` };
  }
  for (const [variable, model] of [['ANTHROPIC_API_KEY', DEMO_PROVIDER_MODELS.anthropic], ['OPENAI_API_KEY', DEMO_PROVIDER_MODELS.openai]] as const) {
    if (env[variable]) {
      return {
        factory: model,
        validation: model,
        recorded: false,
        explanation: `Model: ${model} (${variable} is set): a real run, billed by the provider, capped by the example's budget.`,
      };
    }
  }
  return {
    factory: `scripted:${recordings.factory}`,
    validation: `scripted:${recordings.validation}`,
    recorded: true,
    explanation: 'No ANTHROPIC_API_KEY or OPENAI_API_KEY set: replaying the recorded model sessions in examples/recordings. '
      + 'The files, builds, tests and HTTP requests are real; only the model\'s choices are replayed.',
  };
}
