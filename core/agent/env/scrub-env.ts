// The agent's shell sees no credentials (security.md): tokens, keys, secrets, passwords, provider
// keys and the GitHub Actions runtime variables are dropped before any command runs.

const SECRET_SUFFIX = /(^|_)(TOKEN|KEY|KEY_ID|SECRET|SECRETS|PASSWORD|PASSWD|CREDENTIALS?)$/i;
const SECRET_PREFIXES = ['ACTIONS_RUNTIME_', 'ACTIONS_ID_TOKEN_REQUEST_'];
const SECRET_NAMES = new Set(['GITHUB_TOKEN', 'GH_TOKEN', 'ANTHROPIC_API_KEY', 'OPENAI_API_KEY', 'ACTIONS_RUNTIME_TOKEN', 'ACTIONS_ID_TOKEN_REQUEST_URL']);

export function isSecretVariable(name: string): boolean {
  // Actions exposes inputs as INPUT_<NAME> with the input's hyphens kept (INPUT_GITHUB-TOKEN).
  const upper = name.toUpperCase().replaceAll('-', '_');
  return SECRET_NAMES.has(upper) || SECRET_PREFIXES.some((prefix) => upper.startsWith(prefix)) || SECRET_SUFFIX.test(upper);
}

export function scrubEnvironment(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const clean: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && !isSecretVariable(name)) clean[name] = value;
  }
  return clean;
}
