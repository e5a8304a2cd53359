// `GET /healthz`: 200 while the process serves; for load balancers and container health checks.
import type { IncomingMessage, ServerResponse } from 'node:http';

export const HEALTH_PATH = '/healthz';

export function healthHandler(request: IncomingMessage, response: ServerResponse): boolean {
  const path = (request.url ?? '').split('?')[0];
  if (path !== HEALTH_PATH || (request.method !== 'GET' && request.method !== 'HEAD')) return false;
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(request.method === 'HEAD' ? undefined : JSON.stringify({ status: 'ok' }));
  return true;
}
