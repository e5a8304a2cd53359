// security.md: a webhook with a bad signature gets 401. @octokit/webhooks answers 400 for it, so
// the response is intercepted: `writeHead(status).end(body)` is held until the body shows why.
import type { ServerResponse } from 'node:http';

const SIGNATURE_MISMATCH = /signature does not match/i;

export function answerBadSignaturesWith401(response: ServerResponse): void {
  const writeHead = response.writeHead.bind(response) as (status: number, ...rest: unknown[]) => ServerResponse;
  const end = response.end.bind(response) as (...args: unknown[]) => ServerResponse;
  let held: { status: number; rest: unknown[] } | undefined;
  response.writeHead = ((status: number, ...rest: unknown[]) => {
    held = { status, rest };
    return response;
  }) as ServerResponse['writeHead'];
  response.end = ((...args: unknown[]) => {
    if (held) {
      const body = typeof args[0] === 'string' || Buffer.isBuffer(args[0]) ? String(args[0]) : '';
      const status = held.status === 400 && SIGNATURE_MISMATCH.test(body) ? 401 : held.status;
      writeHead(status, ...held.rest);
      held = undefined;
    }
    return end(...args);
  }) as ServerResponse['end'];
}
