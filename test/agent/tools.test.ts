import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExecutionEnvironment } from '../../core/agent/env/environment.ts';
import { toolDefinition, type Tool } from '../../core/agent/tools/tool.ts';
import { toolSetFor } from '../../core/agent/tools/tool-set.ts';
import { parsePatch, PatchError } from '../../core/agent/tools/v4a-patch.ts';
import { tempDir } from './helpers.ts';

let dir: ReturnType<typeof tempDir>;
let env: ExecutionEnvironment;
const signal = new AbortController().signal;
beforeEach(() => {
  dir = tempDir();
  env = new ExecutionEnvironment({ root: dir.path, env: { PATH: process.env.PATH } });
});
afterEach(() => dir.cleanup());

function call(tools: Tool[], name: string, args: Record<string, unknown>) {
  const tool = tools.find((t) => t.name === name);
  if (!tool) throw new Error(`no tool ${name}`);
  return tool.run(tool.schema.parse(args), { env, signal });
}
const read = (path: string) => readFileSync(join(dir.path, path), 'utf8');

describe('Anthropic (Claude Code) tools', () => {
  const tools = toolSetFor('anthropic');
  it('have the Claude Code names and parameter names', () => {
    const defs = Object.fromEntries(tools.map(toolDefinition).map((d) => [d.name, Object.keys((d.parameters as { properties: object }).properties)]));
    expect(defs.Read).toEqual(expect.arrayContaining(['file_path', 'offset', 'limit']));
    expect(defs.Write).toEqual(['file_path', 'content']);
    expect(defs.Edit).toEqual(['file_path', 'old_string', 'new_string', 'replace_all']);
    expect(defs.Bash).toEqual(expect.arrayContaining(['command', 'timeout']));
    expect(defs.Grep).toEqual(expect.arrayContaining(['pattern', 'path', 'glob']));
    expect(defs.Glob).toEqual(['pattern', 'path']);
  });

  it('write, edit, read, grep and glob land on disk', async () => {
    await call(tools, 'Write', { file_path: 'src/a.ts', content: 'const a = 1;\nconst b = 2;\n' });
    expect((await call(tools, 'Edit', { file_path: 'src/a.ts', old_string: 'b = 2', new_string: 'b = 3' })).isError).toBeFalsy();
    expect(read('src/a.ts')).toBe('const a = 1;\nconst b = 3;\n');
    expect((await call(tools, 'Read', { file_path: 'src/a.ts', offset: 2, limit: 1 })).output).toBe('2\tconst b = 3;');
    expect((await call(tools, 'Grep', { pattern: 'b = \\d', glob: '**/*.ts' })).output).toBe('src/a.ts:2:const b = 3;');
    expect((await call(tools, 'Glob', { pattern: '**/*.ts' })).output).toBe('src/a.ts');
  });

  it('Edit refuses an ambiguous or missing old_string unless replace_all', async () => {
    writeFileSync(join(dir.path, 'x.txt'), 'a a a');
    expect((await call(tools, 'Edit', { file_path: 'x.txt', old_string: 'a', new_string: 'b' })).isError).toBe(true);
    expect((await call(tools, 'Edit', { file_path: 'x.txt', old_string: 'zzz', new_string: 'b' })).isError).toBe(true);
    await call(tools, 'Edit', { file_path: 'x.txt', old_string: 'a', new_string: 'b', replace_all: true });
    expect(read('x.txt')).toBe('b b b');
  });
});

describe('OpenAI (codex) tools', () => {
  const tools = toolSetFor('openai');
  it('are read_file, apply_patch, write_file, shell, grep and glob', () => {
    expect(tools.map((t) => t.name)).toEqual(['read_file', 'apply_patch', 'write_file', 'shell', 'grep', 'glob']);
  });

  it('a v4a patch adds, updates, moves and deletes files', async () => {
    writeFileSync(join(dir.path, 'main.py'), 'import sys\n\ndef main():\n    print("Hello")\n    return 0\n\ndef other():\n    return 1\n');
    writeFileSync(join(dir.path, 'old.py'), 'gone\n');
    writeFileSync(join(dir.path, 'rename_me.py'), 'x = 1\n');
    const patch = [
      '*** Begin Patch',
      '*** Add File: pkg/helpers.py',
      '+def greet(name):',
      '+    return name',
      '*** Update File: main.py',
      '@@ def main():',
      '     print("Hello")',
      '-    return 0',
      '+    print("World")',
      '+    return 1',
      '@@ def other():',
      '-    return 1',
      '+    return 2',
      '*** Delete File: old.py',
      '*** Update File: rename_me.py',
      '*** Move to: renamed.py',
      '@@',
      '-x = 1',
      '+x = 2',
      '*** End Patch',
    ].join('\n');
    const result = await call(tools, 'apply_patch', { patch });
    expect(result.isError).toBeFalsy();
    expect(result.output.split('\n')).toEqual(['A pkg/helpers.py', 'M main.py', 'D old.py', 'R rename_me.py -> renamed.py']);
    expect(read('pkg/helpers.py')).toBe('def greet(name):\n    return name\n');
    expect(read('main.py')).toBe('import sys\n\ndef main():\n    print("Hello")\n    print("World")\n    return 1\n\ndef other():\n    return 2\n');
    expect(existsSync(join(dir.path, 'old.py'))).toBe(false);
    expect(existsSync(join(dir.path, 'rename_me.py'))).toBe(false);
    expect(read('renamed.py')).toBe('x = 2\n');
  });

  it('a patch whose hunk does not match changes nothing and says why', async () => {
    writeFileSync(join(dir.path, 'a.txt'), 'one\ntwo\n');
    const patch = '*** Begin Patch\n*** Add File: new.txt\n+hi\n*** Update File: a.txt\n@@\n-three\n+four\n*** End Patch';
    const result = await call(tools, 'apply_patch', { patch });
    expect(result.isError).toBe(true);
    expect(result.output).toMatch(/could not find the lines to change in a\.txt/);
    expect(existsSync(join(dir.path, 'new.txt'))).toBe(false);
  });

  it('matches context despite trailing whitespace differences', async () => {
    writeFileSync(join(dir.path, 'a.txt'), 'alpha   \nbeta\n');
    await call(tools, 'apply_patch', { patch: '*** Begin Patch\n*** Update File: a.txt\n@@\n alpha\n-beta\n+gamma\n*** End Patch\n' });
    expect(read('a.txt')).toBe('alpha   \ngamma\n');
  });

  it('rejects malformed patches', () => {
    expect(() => parsePatch('*** Update File: a\n')).toThrow(PatchError);
    expect(() => parsePatch('*** Begin Patch\n*** Add File: a\nno plus\n*** End Patch')).toThrow(/starts with "\+"/);
    expect(() => parsePatch('*** Begin Patch\n*** End Patch')).toThrow(/no operations/);
  });

  it('a patch cannot touch files outside the workspace', async () => {
    await expect(call(tools, 'apply_patch', { patch: '*** Begin Patch\n*** Add File: ../escape.txt\n+x\n*** End Patch' })).rejects.toThrow(/outside the workspace/);
  });
});

describe('portable tools', () => {
  const tools = toolSetFor('portable');
  it('write_file, edit_file, read_file, shell, grep and glob work', async () => {
    expect(tools.map((t) => t.name)).toEqual(['read_file', 'write_file', 'edit_file', 'shell', 'grep', 'glob']);
    await call(tools, 'write_file', { path: 'notes/n.md', content: 'hello world\n' });
    await call(tools, 'edit_file', { path: 'notes/n.md', old_string: 'world', new_string: 'there' });
    expect((await call(tools, 'read_file', { path: 'notes/n.md' })).output).toBe('1\thello there');
    const shell = await call(tools, 'shell', { command: 'cat notes/n.md' });
    expect(shell.output).toBe('hello there\n[exit code 0]');
    expect((await call(tools, 'shell', { command: 'exit 4' })).isError).toBe(true);
    expect((await call(tools, 'grep', { pattern: 'THERE', case_insensitive: true })).output).toBe('notes/n.md:1:hello there');
    expect((await call(tools, 'glob', { pattern: 'notes/*' })).output).toBe('notes/n.md');
  });
});
