// The package version, for `factory --version` and the run manifest's tool_version.
import { readFileSync } from 'node:fs';

export function toolVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string };
  return manifest.version ?? '0.0.0';
}
