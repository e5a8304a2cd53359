// Reads a `.github/factory.yml` for a command; unreadable or invalid files are usage errors that
// name the file and each key path.
import { readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { formatConfigIssues, parseFactoryConfig, type FactoryConfig } from '../core/domain/config.ts';
import { UsageError } from './errors.ts';

export function readConfigFile(command: string, path: string): FactoryConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`factory ${command}: cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const parsed = parseFactoryConfig(text);
  if (!parsed.ok) throw new UsageError(`factory ${command}: ${path} is not a valid config:\n${formatConfigIssues(parsed.issues, path)}`);
  return parsed.config;
}

/** `.github/factory.yml` → the repository root; any other file → its directory. */
export function checkoutOf(configFile: string): string {
  const dir = dirname(resolve(configFile));
  return basename(dir) === '.github' ? dirname(dir) : dir;
}
