// The manager loop's steering (§4.11): the supervisor appends a message to `steering.md` in the
// stage directory of the child's active stage; that stage's next LLM attempt reads it into its
// prompt, and the file moves to `steering.read.md` so a message is given once.
import { appendFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export const STEERING_FILE = 'steering.md';
export const STEERING_READ_FILE = 'steering.read.md';

/** The prompt with any pending steering appended; the steering is marked as read. */
export function withSteering(prompt: string, stageDir: string): string {
  const path = join(stageDir, STEERING_FILE);
  if (!existsSync(path)) return prompt;
  const message = readFileSync(path, 'utf8').trim();
  appendFileSync(join(stageDir, STEERING_READ_FILE), `${message}\n`);
  rmSync(path, { force: true });
  if (!message) return prompt;
  return `${prompt}\n\n## Steering from the supervisor\n\n${message}\n`;
}
