// The authoring guide's complete example must stay valid: every scenario in docs/scenarios.md parses.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { parseFactoryConfig } from '../../core/domain/config.ts';
import { parseScenario } from '../../core/domain/scenario.ts';

const guide = readFileSync(fileURLToPath(new URL('../../docs/scenarios.md', import.meta.url)), 'utf8');
const blocks = (language: string): string[] =>
  [...guide.matchAll(new RegExp('```' + language + '\\n([\\s\\S]*?)\\n```', 'g'))].map((match) => `${match[1]!}\n`);

describe('docs/scenarios.md example', () => {
  it('holds happy, edge and failure scenarios that parse', () => {
    const scenarios = blocks('markdown').map((text) => parseScenario(text));
    for (const result of scenarios) expect(result.ok ? [] : result.issues).toEqual([]);
    expect(scenarios.map((result) => result.ok && result.scenario.category)).toEqual(['happy', 'edge', 'failure', 'happy']);
    // The last one, under "Scenarios against twins", checks what the artifact sent its payments twin.
    const twins = scenarios.at(-1)!;
    expect(twins.ok && twins.scenario.setup.map((request) => request.twin)).toEqual(['payments']);
  });

  it('shows a valid factory.yml', () => {
    const configs = blocks('yaml').filter((text) => text.startsWith('version: 1'));
    expect(configs).toHaveLength(1);
    expect(parseFactoryConfig(configs[0]!).ok).toBe(true);
  });
});
