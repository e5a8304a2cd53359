// Webhook payloads from @octokit/webhooks-examples (real deliveries), cloned, with only the fields a
// case needs overridden. Every payload is pointed at one installation so tests mock one token.
import { createRequire } from 'node:module';
import type { EmitterWebhookEventName, EmitterWebhookEvent } from '@octokit/webhooks';

const require = createRequire(import.meta.url);

interface ExampleGroup {
  name: string;
  examples: Array<Record<string, unknown>>;
}

const EXAMPLES = require('@octokit/webhooks-examples') as ExampleGroup[];

export const INSTALLATION_ID = 2;

export type PayloadOf<E extends EmitterWebhookEventName> = EmitterWebhookEvent<E>['payload'];

/** A deep copy of the first example of `event` (and `action`) that passes `where`. */
export function example<E extends EmitterWebhookEventName>(event: E, where: (payload: Record<string, unknown>) => boolean = () => true): PayloadOf<E> {
  const [name, action] = event.split('.') as [string, string | undefined];
  const group = EXAMPLES.find((candidate) => candidate.name === name);
  const found = group?.examples.find((payload) => (action === undefined || payload.action === action) && where(payload));
  if (!found) throw new Error(`no @octokit/webhooks-examples payload for ${event}`);
  const copy = structuredClone(found);
  copy.installation = { id: INSTALLATION_ID, node_id: 'MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMg==' };
  return copy as PayloadOf<E>;
}

export type DeepPartial<T> = T extends readonly unknown[] ? T : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> | null } : T;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Returns `payload` with `patch` merged in (objects merge, arrays and scalars replace). */
export function override<T>(payload: T, patch: DeepPartial<T>): T {
  const merge = (target: unknown, source: unknown): unknown => {
    if (!isPlainObject(target) || !isPlainObject(source)) return source;
    const result: Record<string, unknown> = { ...target };
    for (const [key, value] of Object.entries(source)) result[key] = merge(result[key], value);
    return result;
  };
  return merge(structuredClone(payload), patch) as T;
}
