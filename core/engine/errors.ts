// One named error type per failure category, each with a stable code (quality.md, habits).
import type { Diagnostic } from './diagnostics.ts';

export class EngineError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** The source is not in the DOT subset of §2; always located. */
export class DotSyntaxError extends EngineError {
  readonly line: number;
  readonly column: number;
  readonly file?: string;
  constructor(message: string, line: number, column: number, file?: string) {
    super('dot_syntax', message);
    this.line = line;
    this.column = column;
    this.file = file;
  }
  /** `file:line:column: message`, the one-line form the CLI prints. */
  describe(): string {
    return `${this.file ?? '<input>'}:${this.line}:${this.column}: ${this.message}`;
  }
}

/** validateOrRaise found error-severity diagnostics. */
export class ValidationError extends EngineError {
  readonly diagnostics: Diagnostic[];
  constructor(diagnostics: Diagnostic[]) {
    const errors = diagnostics.filter((d) => d.severity === 'error');
    super('validation', `graph has ${errors.length} error(s): ${errors.map((d) => `[${d.rule}] ${d.message}`).join('; ')}`);
    this.diagnostics = diagnostics;
  }
}

/** A checkpoint that cannot be read or does not belong to this graph. */
export class CheckpointError extends EngineError {
  constructor(message: string) {
    super('checkpoint', message);
  }
}

/** Bad configuration handed to the engine by its host (stub file, answers file, options). */
export class ConfigurationError extends EngineError {
  constructor(message: string) {
    super('configuration', message);
  }
}

/**
 * Errors a handler or backend may throw to say re-execution will not help (Appendix D); the retry
 * policy fails such a stage at once (engine.md §3). Hosts mark their own errors with `terminal: true`.
 */
export class TerminalStageError extends EngineError {
  readonly terminal = true;
  constructor(code: string, message: string) {
    super(code, message);
  }
}

export function isTerminalError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { terminal?: unknown }).terminal === true;
}
