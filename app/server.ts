// `npm start`. With credentials (APP_ID and PRIVATE_KEY or PRIVATE_KEY_PATH, from the environment
// or from the `.env` Probot's registration writes) it serves the App's middleware — webhooks (bad
// signatures get 401) and /healthz — on HOST:PORT. Without them, or with a WEBHOOK_PROXY_URL to
// forward from (local development through smee.io), it runs Probot's own server, whose
// registration page registers the App from `app.yml` in one step.
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { run } from 'probot';
import factoryApp from './index.ts';
import { createFactoryMiddleware } from './middleware.ts';
import { FactoryOctokit } from './octokit.ts';

// Variables already set win over the file, as with Probot's own loading.
if (existsSync('.env')) process.loadEnvFile('.env');
const env = process.env;
const hasCredentials = Boolean(env.APP_ID && (env.PRIVATE_KEY || env.PRIVATE_KEY_PATH));
if (hasCredentials && !env.WEBHOOK_PROXY_URL) {
  const handler = await createFactoryMiddleware();
  const port = Number(env.PORT ?? 3000);
  const host = env.HOST ?? 'localhost';
  createServer((request, response) => {
    void Promise.resolve(handler(request, response, () => response.writeHead(404).end()));
  }).listen(port, host, () => console.log(`spec-factory App listening on http://${host}:${port} (webhooks at /api/github/webhooks)`));
} else {
  await run(factoryApp, { Octokit: FactoryOctokit });
}
