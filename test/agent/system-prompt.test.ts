// System prompts of substance per provider family: the base layers, the environment block with git
// state, and project docs from the repository root down to the working directory — as the
// providers' requests carry them.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAgentBackend } from '../../core/agent/backend/agent-backend.ts';
import { baseInstructions } from '../../core/agent/backend/base-instructions.ts';
import { environmentBlock } from '../../core/agent/backend/environment-block.ts';
import { projectInstructions } from '../../core/agent/backend/project-docs.ts';
import { resolveProvider } from '../../core/agent/llm/resolve.ts';
import type { CodergenRequest } from '../../core/engine/backend.ts';
import { Context } from '../../core/engine/context.ts';
import type { Graph } from '../../core/engine/graph.ts';
import { buildGraph } from '../support/graph-builder.ts';
import { startWireServer, type WireServer } from '../support/wire-server.ts';
import { tempDir } from './helpers.ts';

const graph: Graph = buildGraph({
  nodes: { start: { shape: 'Mdiamond' }, implement: { shape: 'box', prompt: 'Implement it' }, exit: { shape: 'Msquare' } },
  edges: [['start', 'implement'], ['implement', 'exit']],
});

let repo: ReturnType<typeof tempDir>;
let logs: ReturnType<typeof tempDir>;
let workdir: string;

function git(...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: repo.path, stdio: 'ignore' });
}

beforeEach(() => {
  repo = tempDir('repo-');
  logs = tempDir('logs-');
  workdir = join(repo.path, 'packages', 'widget');
  mkdirSync(join(workdir, '.codex'), { recursive: true });
  mkdirSync(join(repo.path, '.codex'), { recursive: true });
  writeFileSync(join(repo.path, 'AGENTS.md'), 'ROOT-AGENTS: run npm test from the root.');
  writeFileSync(join(repo.path, 'CLAUDE.md'), 'ROOT-CLAUDE: prefer small edits.');
  writeFileSync(join(repo.path, 'GEMINI.md'), 'ROOT-GEMINI: gemini notes.');
  writeFileSync(join(repo.path, '.codex', 'instructions.md'), 'ROOT-CODEX: codex notes.');
  writeFileSync(join(workdir, 'AGENTS.md'), 'SUB-AGENTS: the widget package uses tabs.');
  writeFileSync(join(workdir, 'CLAUDE.md'), 'SUB-CLAUDE: widget claude notes.');
  git('init', '-q', '-b', 'feature/widgets');
  git('add', '.');
  git('commit', '-qm', 'Add the widget package');
  writeFileSync(join(workdir, 'draft.txt'), 'untracked');
});
afterEach(() => {
  repo.cleanup();
  logs.cleanup();
});

describe('project docs', () => {
  it('walk from the git root to the working directory, root first, per family', () => {
    const anthropic = projectInstructions(workdir, 'anthropic');
    const order = ['ROOT-AGENTS', 'ROOT-CLAUDE', 'SUB-AGENTS', 'SUB-CLAUDE'].map((mark) => anthropic.indexOf(mark));
    expect(order.every((at) => at >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(anthropic).toContain('file="packages/widget/CLAUDE.md"');
    expect(anthropic).not.toContain('GEMINI');
    const gemini = projectInstructions(workdir, 'gemini');
    expect(gemini).toContain('ROOT-GEMINI');
    expect(gemini).not.toContain('CLAUDE');
    const openai = projectInstructions(workdir, 'openai');
    expect(openai).toContain('ROOT-CODEX');
    expect(openai).not.toContain('CLAUDE');
  });

  it('stop at the 32 KB budget with the spec\'s marker', () => {
    writeFileSync(join(workdir, 'AGENTS.md'), 'x'.repeat(40_000));
    const docs = projectInstructions(workdir, 'portable');
    expect(docs).toContain('ROOT-AGENTS');
    expect(docs.endsWith('[Project instructions truncated at 32KB]')).toBe(true);
    expect(Buffer.byteLength(docs)).toBeLessThan(32 * 1024 + 100);
  });
});

describe('the environment block', () => {
  it('holds the branch, a short status and the recent commits', () => {
    const block = environmentBlock(workdir, new Date('2026-03-04T00:00:00Z'), 'linux', 'claude-sonnet-4-5');
    expect(block).toContain('Is git repository: true');
    expect(block).toContain('Git branch: feature/widgets');
    expect(block).toMatch(/Git status \(1 changed\):\n {2}\?\? draft\.txt/);
    expect(block).toMatch(/Recent commits:\n {2}[0-9a-f]+ Add the widget package/);
    expect(block).toContain('Model: claude-sonnet-4-5');
  });
});

describe('base instructions', () => {
  it.each(['anthropic', 'openai', 'gemini', 'portable'] as const)('cover identity, tools, editing, verification and the outcome for %s', (family) => {
    const text = baseInstructions(family);
    for (const heading of ['# Who you are', '# Tools and editing', '# Using tools', '# Verifying your work', '# Reporting the outcome']) expect(text).toContain(heading);
  });
  it('name each family\'s own editing convention', () => {
    expect(baseInstructions('anthropic')).toMatch(/old_string must match the file exactly/);
    expect(baseInstructions('openai')).toMatch(/apply_patch in the v4a format/);
    expect(baseInstructions('gemini')).toMatch(/expected_replacements/);
  });
});

describe('requests to the providers', () => {
  let wire: WireServer;
  beforeAll(async () => {
    wire = await startWireServer();
  });
  afterAll(async () => {
    await wire.close();
  });

  function stage(): CodergenRequest {
    const stageDir = join(logs.path, 'implement');
    mkdirSync(stageDir, { recursive: true });
    return {
      node: graph.nodes.get('implement')!,
      prompt: 'Implement it',
      context: new Context({ 'run.id': 'r1' }),
      graph,
      logsRoot: logs.path,
      stageDir,
      fidelity: 'compact',
      history: { completed_nodes: [], node_outcomes: {} },
      signal: new AbortController().signal,
      emit: () => undefined,
    };
  }

  async function systemOf(spec: string, env: Record<string, string>): Promise<{ system: string; body: Record<string, unknown> }> {
    const before = wire.requests.length;
    wire.push({ turn: { tool_calls: [{ id: 'r1', name: 'report_outcome', arguments: { status: 'success' } }] } });
    const { provider, model } = resolveProvider(spec, env, { retry: false });
    const outcome = await createAgentBackend({ providerFor: () => ({ provider, model }), workdir, env: { PATH: process.env.PATH }, costOf: () => 0 }).run(stage());
    expect(outcome.status).toBe('success');
    const body = wire.requests[before]!.body as Record<string, unknown>;
    const system = typeof body.instructions === 'string' ? body.instructions : ((body.system as { text: string }[])[0]!.text);
    return { system, body };
  }

  it('an Anthropic request holds AGENTS.md and CLAUDE.md from the root and from the working subdirectory', async () => {
    const { system } = await systemOf('anthropic/claude-sonnet-4-5', { ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: wire.url });
    for (const mark of ['ROOT-AGENTS', 'ROOT-CLAUDE', 'SUB-AGENTS', 'SUB-CLAUDE', 'Git branch: feature/widgets', 'Add the widget package']) expect(system).toContain(mark);
    expect(system).not.toContain('ROOT-CODEX');
  });

  it('an OpenAI Responses request holds AGENTS.md and not CLAUDE.md, and offers read_file, apply_patch, write_file, shell, grep and glob', async () => {
    const { system, body } = await systemOf('openai/gpt-5.2', { OPENAI_API_KEY: 'k', OPENAI_BASE_URL: wire.openaiBaseURL });
    expect(system).toContain('ROOT-AGENTS');
    expect(system).toContain('SUB-AGENTS');
    expect(system).toContain('ROOT-CODEX');
    expect(system).not.toContain('CLAUDE');
    const names = (body.tools as { name: string }[]).map((tool) => tool.name);
    for (const name of ['read_file', 'apply_patch', 'write_file', 'shell', 'grep', 'glob']) expect(names).toContain(name);
  });
});
