// YAML we read from users: an alias bomb, an oversized file and broken syntax are located issues,
// never a throw; schema issues carry the key path and where that key sits in the file.
import { describe, expect, it } from '@jest/globals';
import { formatConfigIssues, parseFactoryConfig } from '../../core/domain/config.ts';
import { formatScenarioIssue, parseScenario } from '../../core/domain/scenario.ts';
import { parseYamlBounded, YAML_MAX_BYTES } from '../../core/domain/yaml.ts';
import { aliasBomb } from './hostile-inputs.ts';


describe('bounded YAML', () => {
  it('refuses an alias bomb with the location of the first alias', () => {
    const result = parseYamlBounded(aliasBomb());
    if (result.ok) throw new Error('accepted');
    expect(result.problem.message).toMatch(/aliases expand too far/);
    expect(result.problem).toMatchObject({ line: 2, column: 8 });
  });

  it('refuses a document over the byte limit before parsing it', () => {
    const result = parseYamlBounded(`x: "${'y'.repeat(YAML_MAX_BYTES)}"\n`);
    if (result.ok) throw new Error('accepted');
    expect(result.problem.message).toMatch(/at most \d+ are read/);
  });

  it('keeps a few ordinary aliases working', () => {
    const result = parseYamlBounded('base: &b { x: 1 }\none: *b\ntwo: *b\n');
    if (!result.ok) throw new Error(result.problem.message);
    expect(result.value).toEqual({ base: { x: 1 }, one: { x: 1 }, two: { x: 1 } });
  });
});

describe('.github/factory.yml', () => {
  it('an alias bomb is an invalid config with its location, not a throw', () => {
    const result = parseFactoryConfig(`version: 1\n${aliasBomb()}`);
    if (result.ok) throw new Error('accepted');
    expect(formatConfigIssues(result.issues)).toMatch(/^- \.github\/factory\.yml:3:8: expected valid YAML \(aliases expand too far/);
  });

  it('a schema issue names the key path, line and column', () => {
    const result = parseFactoryConfig('version: 1\nfactory:\n  budget:\n    max_rounds: 0\n    max_dollars: 5\n');
    if (result.ok) throw new Error('accepted');
    const text = formatConfigIssues(result.issues);
    expect(text).toContain('.github/factory.yml:4:5: `factory.budget.max_rounds` expected');
    expect(text).toContain('.github/factory.yml:5:5: `factory.budget.max_dollars` expected no such key');
  });

  it('a duplicate key is located', () => {
    const result = parseFactoryConfig('version: 1\nversion: 1\n');
    if (result.ok) throw new Error('accepted');
    expect(result.issues[0]).toMatchObject({ path: '', line: 2 });
  });
});

describe('scenario frontmatter', () => {
  it('an alias bomb is a malformed scenario located in the file', () => {
    const result = parseScenario(`---\n${aliasBomb()}---\n## Story\nx\n`);
    if (result.ok) throw new Error('accepted');
    expect(formatScenarioIssue('bomb.md', result.issues[0]!)).toMatch(/^bomb\.md:3:8: expected valid YAML frontmatter \(aliases expand too far/);
  });

  it('a field issue carries the file line and column', () => {
    const result = parseScenario('---\nid: x\ntitle: t\ncategory: sideways\nrubric: [{ id: a }]\n---\n## Story\ns\n## Steps\ns\n## Expected\ne\n## Judge criteria\n- a: yes\n');
    if (result.ok) throw new Error('accepted');
    expect(result.issues.map((issue) => formatScenarioIssue('s.md', issue))).toEqual([expect.stringMatching(/^s\.md:4:1: `category` expected one of/)]);
  });
});
