// `npm start`. With credentials (APP_ID and PRIVATE_KEY or PRIVATE_KEY_PATH) it serves the App's
// middleware — webhooks (bad signatures get 401) and /healthz — on HOST:PORT. Without them it
// runs Probot's own server, whose registration page registers the App from `app.yml` in one step.
import { createServer } from 'node:http';
import { run } from 'probot';
import factoryApp from './index.ts';
import { createFactoryMiddleware } from './middleware.ts';

const env = process.env;
if (env.APP_ID && (env.PRIVATE_KEY || env.PRIVATE_KEY_PATH)) {
  const handler = await createFactoryMiddleware();
  const port = Number(env.PORT ?? 3000);
  const host = env.HOST ?? 'localhost';
  createServer((request, response) => {
    void Promise.resolve(handler(request, response, () => response.writeHead(404).end()));
  }).listen(port, host, () => console.log(`spec-factory App listening on http://${host}:${port} (webhooks at /api/github/webhooks)`));
} else {
  await run(factoryApp);
}
