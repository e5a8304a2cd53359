// `/factory steer <text>` (endurance issue): the App acknowledges a writer's steering message with
// a comment that carries this marker; the running Action accepts the marker only in comments the
// App itself made (their `performed_via_github_app` is the App that owns the run's check), so a
// comment by anyone else that copies the marker is ignored.
import { z } from 'zod';

/** The longest steering message accepted (it becomes one user turn of the running agent). */
export const MAX_STEERING_CHARS = 2000;

const MARKER = /<!-- factory-steer:([A-Za-z0-9_-]+) -->/;

const PayloadSchema = z.strictObject({
  /** The `/factory steer` comment the App acknowledged. */
  comment: z.number().int().positive(),
  text: z.string().min(1).max(MAX_STEERING_CHARS),
});

export type SteeringPayload = z.infer<typeof PayloadSchema>;

/** The marker as an HTML comment (invisible when rendered); the text is base64url, so it cannot close it. */
export function steeringMarker(payload: SteeringPayload): string {
  return `<!-- factory-steer:${Buffer.from(JSON.stringify(PayloadSchema.parse(payload))).toString('base64url')} -->`;
}

/** The payload of a marker in a comment body, or null (no marker, or not a valid one). */
export function parseSteeringMarker(body: string): SteeringPayload | null {
  const match = MARKER.exec(body);
  if (!match) return null;
  try {
    const parsed = PayloadSchema.safeParse(JSON.parse(Buffer.from(match[1]!, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
