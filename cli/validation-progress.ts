// Validation progress on stderr: counts only (which scenario did what stays in the detailed report),
// a live line on a terminal, otherwise a line at every tenth of the trials.
import type { TrialProgress } from '../core/validation/run.ts';
import { writeLine, type TextSink } from './output.ts';

const CLEAR_LINE = '\r\x1b[2K';

export function validationProgress(sink: TextSink): { onTrialDone(progress: TrialProgress): void; stop(): void } {
  const live = Boolean(sink.isTTY);
  let satisfied = 0;
  let drawn = false;
  return {
    onTrialDone(progress) {
      if (progress.outcome === 'satisfied') satisfied += 1;
      const line = `  validation: ${progress.done}/${progress.total} trials, ${satisfied} satisfied`;
      if (live) {
        sink.write(`${CLEAR_LINE}${line}`);
        drawn = true;
        return;
      }
      const step = Math.max(1, Math.ceil(progress.total / 10));
      if (progress.done % step === 0 || progress.done === progress.total) writeLine(sink, line);
    },
    stop() {
      if (drawn) sink.write('\n');
      drawn = false;
    },
  };
}
