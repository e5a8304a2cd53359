// The shared contract schemas: what the App and the Action agree on, defined once.
export * from './checks.ts';
export * from './commands.ts';
export * from './config.ts';
export * from './dispatch.ts';
export * from './drift.ts';
export * from './feedback.ts';
export * from './paths.ts';
export * from './review.ts';
export * from './scenario.ts';
