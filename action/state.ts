// Names of the values the main step saves for the post step (core.saveState / getState).
export const STATE_RUN_DIR = 'run-dir';
export const STATE_CHECK_CONCLUDED = 'check-concluded';
