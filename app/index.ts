// The spec-factory GitHub App (Probot): webhooks in, GitHub calls out. It decides and dispatches;
// it never runs agents.
import type { ApplicationFunctionOptions, Context, Probot } from 'probot';
import type { EmitterWebhookEventName } from '@octokit/webhooks';
import { DeliveryMemory } from './delivery-memory.ts';
import { healthHandler } from './health.ts';
import { onCheckRequest } from './handlers/check-run.ts';
import { onCheckCompleted } from './handlers/feedback-round.ts';
import { onComment } from './handlers/comment.ts';
import { onPullRequest } from './handlers/pull-request.ts';
import { onPush } from './handlers/push.ts';
import { onWorkflowRunCompleted } from './handlers/workflow-run.ts';
import { payloadProblems, type HandledEvent } from './payloads.ts';

/** The webhook events the App subscribes to; `app.yml` lists exactly these. */
export const SUBSCRIBED_EVENTS = ['check_run', 'issue_comment', 'pull_request', 'push', 'workflow_run'] as const;

export interface FactoryAppOptions {
  /** How many delivery ids each instance remembers. */
  deliveryMemory?: number;
}

/**
 * Wraps a handler: a payload that does not fit the event's schema (payloads.ts) is logged once and
 * acknowledged with no side effect; a delivery id seen before is dropped; a failed delivery is
 * forgotten so a redelivery retries it.
 */
function once<E extends EmitterWebhookEventName>(memory: DeliveryMemory, handler: (context: Context<E>) => Promise<void>) {
  return async (context: Context<E>): Promise<void> => {
    const problems = payloadProblems(context.name as HandledEvent, context.payload);
    if (problems.length > 0) {
      context.log.warn({ delivery: context.id, event: context.name, problems }, 'payload does not fit; acknowledged without acting');
      return;
    }
    if (!memory.firstTime(context.id)) {
      context.log.info({ delivery: context.id }, 'duplicate delivery ignored');
      return;
    }
    try {
      await handler(context);
    } catch (error) {
      memory.forget(context.id);
      throw error;
    }
  };
}

/** Under Probot's server the health route is added to it; elsewhere (tests, middleware) there is none. */
function addHealthRoute(options: ApplicationFunctionOptions | undefined): void {
  try {
    options?.addHandler(healthHandler);
  } catch {
    // Probot.load without a server: the serverless middleware in middleware.ts serves the route itself.
  }
}

export function createFactoryApp(appOptions: FactoryAppOptions = {}) {
  return (app: Probot, options?: ApplicationFunctionOptions): void => {
    const memory = new DeliveryMemory(appOptions.deliveryMemory);
    addHealthRoute(options);
    app.on('push', once(memory, onPush));
    app.on(['pull_request.opened', 'pull_request.synchronize', 'pull_request.reopened'], once(memory, onPullRequest));
    app.on('issue_comment.created', once(memory, onComment));
    app.on(['check_run.rerequested', 'check_run.requested_action'], once(memory, onCheckRequest));
    app.on('check_run.completed', once(memory, onCheckCompleted));
    app.on('workflow_run.completed', once(memory, onWorkflowRunCompleted));
  };
}

const factoryApp = createFactoryApp();
export default factoryApp;
