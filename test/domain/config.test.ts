import { describe, expect, it } from '@jest/globals';
import { formatConfigIssues, parseFactoryConfig } from '../../core/domain/config.ts';

const FULL = `version: 1
spec:
  paths: ["spec/**"]
  ready: [spec/README.md]
factory:
  graph: factory/pipeline.dot
  models: "* { llm_model: claude-sonnet-4; llm_provider: anthropic; }"
  protected_paths: ["spec/**", "factory/**", ".github/**", "CODEOWNERS"]
  check_command: "npm test"
  branch_prefix: factory/
  budget: { max_usd: 50, max_minutes: 300, max_rounds: 3 }
artifact:
  kind: http
  build: "npm ci && npm run build"
  start: "npm start"
  health: { path: /healthz, timeout_s: 60 }
validation:
  scenarios_repo: org/product-holdouts
  scenarios_path: scenarios/
  trials: 3
  concurrency: 8
  thresholds: { overall: 0.9, happy: 0.95, edge: 0.85, failure: 0.9 }
  confidence: 0.95
  model: anthropic/claude-sonnet-4
feedback: { level: categories }
`;

describe('.github/factory.yml v1', () => {
  it('accepts the documented example and keeps its values', () => {
    const result = parseFactoryConfig(FULL);
    if (!result.ok) throw new Error(formatConfigIssues(result.issues));
    expect(result.config.spec.ready).toEqual(['spec/README.md']);
    expect(result.config.factory.budget.max_rounds).toBe(3);
    expect(result.config.validation.thresholds.edge).toBe(0.85);
  });

  it('fills defaults for a minimal file', () => {
    const result = parseFactoryConfig('version: 1\n');
    if (!result.ok) throw new Error('rejected');
    expect(result.config.spec.paths).toEqual(['spec/**']);
    expect(result.config.factory.branch_prefix).toBe('factory/');
    expect(result.config.factory.protected_paths).toContain('CODEOWNERS');
    expect(result.config.feedback.level).toBe('categories');
    expect(result.config.commands.bots).toEqual([]);
  });

  it('rejects unknown keys with their key path', () => {
    const result = parseFactoryConfig('version: 1\nfactory:\n  budget: { max_rounds: 2, max_dollars: 5 }\n');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toEqual([expect.objectContaining({ path: 'factory.budget.max_dollars' })]);
    expect(formatConfigIssues(result.issues)).toMatch(/`factory\.budget\.max_dollars` expected no such key/);
  });

  it('names the key path and the expected value for a wrong type and a wrong enum', () => {
    const result = parseFactoryConfig('version: 1\nspec:\n  paths: [1]\nfeedback: { level: all }\n');
    if (result.ok) throw new Error('accepted');
    const text = formatConfigIssues(result.issues);
    expect(text).toContain('`spec.paths[0]` expected string');
    expect(text).toContain('`feedback.level` expected one of "none", "categories", "tags"');
  });

  it('does not call a present key of the wrong type missing', () => {
    const result = parseFactoryConfig('version: 1\nvalidation:\n  trials: "x"\n');
    if (result.ok) throw new Error('accepted');
    const text = formatConfigIssues(result.issues);
    expect(text).toContain('`validation.trials` expected number');
    expect(text).not.toContain('missing');
  });

  it('requires version 1', () => {
    const result = parseFactoryConfig('spec: {}\n');
    if (result.ok) throw new Error('accepted');
    expect(formatConfigIssues(result.issues)).toContain('`version` expected');
  });

  it('reports broken YAML with a line and column, and an empty file, without throwing', () => {
    const broken = parseFactoryConfig('version: 1\nspec: [\n');
    if (broken.ok) throw new Error('accepted');
    expect(broken.issues[0]?.line).toBeGreaterThan(0);
    expect(formatConfigIssues(broken.issues)).toMatch(/^- \.github\/factory\.yml:\d+:\d+: expected valid YAML/);
    const empty = parseFactoryConfig('');
    expect(empty.ok).toBe(false);
  });
});
