// A plain Node request handler for serverless hosts (and any `http.createServer`): the webhook
// endpoint plus `GET /healthz`. Credentials come from the environment, as for `npm start`.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createNodeMiddleware, createProbot, type Probot } from 'probot';
import { healthHandler } from './health.ts';
import factoryApp from './index.ts';
import { answerBadSignaturesWith401 } from './unauthorized-signature.ts';

export type NodeHandler = (request: IncomingMessage, response: ServerResponse, next?: (error?: Error) => void) => Promise<boolean | void> | boolean | void;

export async function createFactoryMiddleware(probot: Probot = createProbot()): Promise<NodeHandler> {
  const webhooks = await createNodeMiddleware(factoryApp, { probot });
  return (request, response, next) => {
    if (healthHandler(request, response)) return true;
    answerBadSignaturesWith401(response);
    return webhooks(request, response, next);
  };
}
