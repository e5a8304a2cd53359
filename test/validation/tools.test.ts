import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { boundUrl, cliTool, httpTool } from '../../core/validation/tools.ts';
import type { Interaction } from '../../core/validation/types.ts';

const hits: string[] = [];
let server: Server;
let base = '';

beforeAll(async () => {
  server = createServer((request, response) => {
    hits.push(`${request.method} ${request.url}`);
    if (request.url === '/redirect') {
      response.writeHead(302, { location: 'http://example.com/' });
      response.end();
      return;
    }
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'application/json', 'x-echo': request.headers['content-type'] ?? '' });
      response.end(JSON.stringify({ method: request.method, url: request.url, body }));
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((done) => server.close(done));
});

describe('HTTP tool bound to the artifact', () => {
  it('refuses anything that leaves the base origin', () => {
    expect(boundUrl('http://127.0.0.1:5000', '/a?b=1')?.href).toBe('http://127.0.0.1:5000/a?b=1');
    for (const bad of ['http://example.com/', '//example.com/x', 'example.com', '/\\example.com', '']) {
      expect(boundUrl('http://127.0.0.1:5000', bad)).toBeNull();
    }
  });

  it('sends JSON bodies, records request and response, refuses other hosts without a request', async () => {
    const recorded: Interaction[] = [];
    const tool = httpTool(base, (interaction) => recorded.push(interaction));
    expect(tool.definition.name).toBe('http_request');
    const ok = await tool.run({ method: 'POST', path: '/items?x=1', body: { name: 'pear' } });
    expect(ok.isError).toBe(false);
    expect(ok.output).toMatch(/^HTTP 200/);
    const refused = await tool.run({ method: 'GET', path: 'http://example.com/' });
    expect(refused.isError).toBe(true);
    const invalid = await tool.run({ method: 'FETCH', path: '/' });
    expect(invalid.output).toMatch(/^invalid arguments: method/);
    expect(recorded).toHaveLength(1);
    const first = recorded[0]!;
    expect(first.kind === 'http' && first.request).toEqual({ method: 'POST', path: '/items?x=1', headers: { 'content-type': 'application/json' }, body: '{"name":"pear"}' });
    expect(first.kind === 'http' && JSON.parse(first.response!.body)).toEqual({ method: 'POST', url: '/items?x=1', body: '{"name":"pear"}' });
    expect(first.kind === 'http' && first.response!.headers['x-echo']).toBe('application/json');
  });

  it('does not follow redirects off the artifact', async () => {
    const recorded: Interaction[] = [];
    const result = await httpTool(base, (interaction) => recorded.push(interaction)).run({ method: 'GET', path: '/redirect' });
    expect(result.output).toMatch(/^HTTP 302/);
    expect(recorded[0]!.kind === 'http' && recorded[0]!.response!.headers.location).toBe('http://example.com/');
  });
});

describe('CLI tool', () => {
  it('passes arguments and stdin to the runner and records the run', async () => {
    const recorded: Interaction[] = [];
    const calls: Array<[readonly string[], string | undefined]> = [];
    const tool = cliTool(async (args, stdin) => {
      calls.push([args, stdin]);
      return { exitCode: 3, stdout: 'out', stderr: 'err' };
    }, (interaction) => recorded.push(interaction));
    const result = await tool.run({ args: ['a', 'b c'], stdin: 'in' });
    expect(result.output).toBe('exit code 3\n--- stdout\nout\n--- stderr\nerr');
    expect(calls).toEqual([[['a', 'b c'], 'in']]);
    expect(recorded).toEqual([{ kind: 'cli', args: ['a', 'b c'], stdin: 'in', exitCode: 3, stdout: 'out', stderr: 'err' }]);
  });
});
