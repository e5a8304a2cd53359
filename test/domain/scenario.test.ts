import { describe, expect, it } from '@jest/globals';
import { formatScenarioIssue, parseScenario } from '../../core/domain/scenario.ts';

const VALID = `---
id: create-item
title: Create an item
category: happy
criticality: high
trials: 5
variations:
  name: [apple, pear]
checks:
  - status: 201
    on: { method: POST, path: /items }
  - json: { path: item.name, equals: "{{name}}" }
  - header: { name: content-type, contains: json }
    must: false
rubric:
  - id: confirms
    weight: 2
  - id: clear
feedback_tags: [items-create]
---
## Story
A user stores an item.

## Steps
1. POST /items with the name.

## Expected
The item comes back with its name.

## Judge criteria
- confirms: the response confirms the item
  with its name.
- **clear**: errors, if any, are clear.
`;

describe('scenario file format', () => {
  it('parses frontmatter, defaults and body sections', () => {
    const result = parseScenario(VALID);
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    const { scenario } = result;
    expect(scenario.id).toBe('create-item');
    expect(scenario.criticality).toBe('high');
    expect(scenario.trials).toBe(5);
    expect(scenario.variations).toEqual({ name: ['apple', 'pear'] });
    expect(scenario.checks).toHaveLength(3);
    expect(scenario.checks[0]!.must).toBe(true);
    expect(scenario.checks[2]!.must).toBe(false);
    expect(scenario.rubric).toEqual([{ id: 'confirms', weight: 2 }, { id: 'clear', weight: 1 }]);
    expect(scenario.criteria).toEqual({ confirms: 'the response confirms the item with its name.', clear: 'errors, if any, are clear.' });
    expect(scenario.story).toBe('A user stores an item.');
    expect(scenario.steps).toBe('1. POST /items with the name.');
  });

  it('defaults criticality to normal and checks to none', () => {
    const text = VALID.replace('criticality: high\n', '').replace(/checks:[\s\S]*?rubric:/, 'rubric:');
    const result = parseScenario(text);
    expect(result.ok && result.scenario.criticality).toBe('normal');
    expect(result.ok && result.scenario.checks).toEqual([]);
  });

  it('reports bad fields by key path', () => {
    const text = VALID.replace('category: happy', 'category: sunny').replace('status: 201', 'status: 42').replace('trials: 5', 'trials: 5\ncolour: red');
    const result = parseScenario(text);
    expect(result.ok).toBe(false);
    const fields = result.ok ? [] : result.issues.map((issue) => issue.field);
    expect(fields).toEqual(expect.arrayContaining(['category', 'colour']));
    expect(fields.some((field) => field.startsWith('checks[0]'))).toBe(true);
  });

  it('reports a bad check against the kind its key selects, and a wrong type apart from a missing key', () => {
    const text = VALID.replace('title: Create an item', 'title: 5').replace(/checks:[\s\S]*?rubric:/, [
      'checks:',
      '  - status: 42',
      '  - { json: { path: 1 } }',
      '  - { json: {} }',
      '  - { status: 200, exit_code: 0 }',
      '  - { must: true }',
      '  - { stdout: {} }',
      'rubric:',
    ].join('\n'));
    const result = parseScenario(text);
    expect((result.ok ? [] : result.issues).map(({ field, expected }) => ({ field, expected }))).toEqual([
      { field: 'title', expected: 'string' },
      { field: 'checks[0].status', expected: 'a number ≥ 100' },
      { field: 'checks[1].json.path', expected: 'string' },
      { field: 'checks[2].json.path', expected: 'string (the key is missing)' },
      { field: 'checks[3]', expected: 'exactly one of status, header, json, exit_code, stdout, twin_requests, twin_json (found status, exit_code)' },
      { field: 'checks[4]', expected: 'exactly one of status, header, json, exit_code, stdout, twin_requests, twin_json (found none)' },
      { field: 'checks[5].stdout', expected: 'at least one of equals, contains, not_contains, matches' },
    ]);
  });

  it('requires every body section and a text for every rubric criterion', () => {
    const text = VALID.replace('## Expected\nThe item comes back with its name.\n', '').replace('- **clear**: errors, if any, are clear.', '');
    const result = parseScenario(text);
    expect(result.ok).toBe(false);
    const issues = result.ok ? [] : result.issues;
    expect(issues.map((issue) => issue.field)).toEqual(expect.arrayContaining(['## Expected', 'rubric[1].id']));
  });

  it('rejects unknown sections, missing frontmatter and broken YAML with a location', () => {
    const extra = parseScenario(`${VALID}\n## Notes\nhello\n`);
    expect(!extra.ok && extra.issues.map((issue) => issue.field)).toEqual(['## Notes']);
    const none = parseScenario('# just markdown\n');
    expect(!none.ok && none.issues[0]).toMatchObject({ field: '', line: 1 });
    const broken = parseScenario('---\nid: [unclosed\n---\n## Story\nx\n');
    expect(broken.ok).toBe(false);
    if (!broken.ok) expect(formatScenarioIssue('s/x.md', broken.issues[0]!)).toMatch(/^s\/x\.md(:\d+:\d+)?: expected valid YAML frontmatter/);
  });

  it('requires a rubric', () => {
    const result = parseScenario(VALID.replace(/rubric:[\s\S]*?feedback_tags/, 'feedback_tags'));
    expect(!result.ok && result.issues.map((issue) => issue.field)).toContain('rubric');
  });
});
