// Names of the values the main step saves for the post step (core.saveState / getState).
export const STATE_RUN_DIR = 'run-dir';
export const STATE_CHECK_CONCLUDED = 'check-concluded';
/** When the main step started (epoch ms): the minutes of a job whose check the main step left open. */
export const STATE_STARTED_AT = 'started-at';
/** A resume's restored cost (USD), paid for and recorded by the earlier job; not this job's spend. */
export const STATE_RESTORED_USD = 'restored-usd';
