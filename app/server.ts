// `npm start`: Probot's own server. HOST and PORT are honoured; with no APP_ID/PRIVATE_KEY it serves
// Probot's registration page, which registers the App from `app.yml` in one step.
import { run } from 'probot';
import factoryApp from './index.ts';

await run(factoryApp);
