// The body of an incoming request to one of the local test servers.
import type { IncomingMessage } from 'node:http';

/** The whole body of `req`, as bytes. */
export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The whole body of `req`, decoded as UTF-8. */
export async function readText(req: IncomingMessage): Promise<string> {
  return (await readBody(req)).toString('utf8');
}
