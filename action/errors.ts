// One named error per failure category of the Action, each with a stable code. The message is what
// the step log shows: located (file, key path, line) and saying what was expected.
export type ActionErrorCode =
  | 'input'
  | 'config'
  | 'graph'
  | 'model'
  | 'git'
  | 'protected_paths';

export class ActionError extends Error {
  readonly code: ActionErrorCode;
  constructor(code: ActionErrorCode, message: string) {
    super(message);
    this.name = 'ActionError';
    this.code = code;
  }
}
