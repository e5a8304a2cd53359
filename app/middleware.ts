// A plain Node request handler for serverless hosts (and any `http.createServer`): the webhook
// endpoint (webhook-intake.ts: body limit, signature first, no unverified body in the log) plus
// `GET /healthz`. Credentials come from the environment, as for `npm start`.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createProbot, type Probot } from 'probot';
import { healthHandler } from './health.ts';
import { FactoryOctokit } from './octokit.ts';
import factoryApp from './index.ts';
import { createWebhookIntake, type IntakeOptions } from './webhook-intake.ts';

export type NodeHandler = (request: IncomingMessage, response: ServerResponse, next?: (error?: Error) => void) => Promise<boolean | void> | boolean | void;

export async function createFactoryMiddleware(probot: Probot = createProbot({ overrides: { Octokit: FactoryOctokit } }), options: IntakeOptions = {}): Promise<NodeHandler> {
  await probot.load(factoryApp);
  const intake = createWebhookIntake(probot, options);
  return async (request, response, next) => {
    if (healthHandler(request, response)) return true;
    try {
      if (await intake(request, response)) return true;
    } catch (error) {
      probot.log.error({ err: error }, 'webhook endpoint failed');
      if (!response.headersSent) response.writeHead(500).end();
      return true;
    }
    next?.();
    return false;
  };
}
