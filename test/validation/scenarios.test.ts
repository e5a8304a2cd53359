import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { buildScenarioSet, commitmentHash, describeMalformed, loadScenarioDirectory } from '../../core/validation/scenarios.ts';
import { fixture, mixedScenarios, tempDirs } from './helpers.ts';

const temp = tempDirs();
afterAll(() => temp.removeAll());

const sha = (text: string): string => createHash('sha256').update(text).digest('hex');

describe('scenario directory', () => {
  it('loads every scenario sorted by id and hashes the set as sha256 over sorted file hashes', () => {
    const dir = fixture('scenarios', 'http-pass');
    const set = loadScenarioDirectory(dir);
    expect(set.scenarios.map((loaded) => loaded.scenario.id)).toEqual(['create-item', 'env-clean', 'missing-name']);
    expect(set.malformed).toEqual([]);
    const fileHashes = readdirSync(dir).map((name) => sha(readFileSync(join(dir, name), 'utf8'))).sort();
    expect(set.hash).toBe(sha(fileHashes.join('\n')));
    expect(set.scenarios[0]!.sha256).toBe(sha(readFileSync(join(dir, 'create-item.md'), 'utf8')));
  });

  it('keeps a malformed file as a located harness error, counted in the hash', () => {
    const set = loadScenarioDirectory(mixedScenarios(temp.make()));
    expect(set.scenarios).toHaveLength(7);
    expect(set.malformed.map((entry) => entry.file)).toEqual(['malformed.md']);
    const lines = describeMalformed(set.malformed[0]!);
    expect(lines).toContain('malformed.md:4:1: `category` expected one of "happy", "edge", "failure"');
    expect(lines).toContain('malformed.md:5:1: `rubric` expected a list with at least 1 item(s)');
    expect(lines).toContain('malformed.md: `## Steps` expected a non-empty `## Steps` section');
    expect(set.hash).toBe(commitmentHash([...set.scenarios, ...set.malformed].map((entry) => entry.sha256)));
  });

  it('changes the hash when any file changes, not when files are listed in another order', () => {
    const a = { file: 'a.md', text: readFileSync(fixture('scenarios', 'http-pass', 'create-item.md'), 'utf8') };
    const b = { file: 'b.md', text: readFileSync(fixture('scenarios', 'http-pass', 'missing-name.md'), 'utf8') };
    expect(buildScenarioSet([a, b]).hash).toBe(buildScenarioSet([b, a]).hash);
    expect(buildScenarioSet([a, { ...b, text: `${b.text} ` }]).hash).not.toBe(buildScenarioSet([a, b]).hash);
  });

  it('refuses a second file with the same id', () => {
    const dir = temp.make();
    const text = readFileSync(fixture('scenarios', 'http-pass', 'missing-name.md'), 'utf8');
    writeFileSync(join(dir, 'one.md'), text);
    writeFileSync(join(dir, 'two.md'), text.replace('title: An item', 'title: Another item'));
    writeFileSync(join(dir, 'README.md'), 'not a scenario');
    const set = loadScenarioDirectory(dir);
    expect(set.scenarios.map((loaded) => loaded.file)).toEqual(['one.md']);
    expect(describeMalformed(set.malformed[0]!)).toEqual(['two.md: `id` expected a unique scenario id (also used by one.md)']);
  });
});
