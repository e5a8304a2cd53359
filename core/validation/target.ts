// Drift replay: the `production_safe` scenarios against a service that is already running (a
// deployment, a staging URL). Nothing is built or started; the agent, the judge and the
// satisfaction maths are the validation run's own.
import type { ScenarioSet } from './scenarios.ts';
import type { ArtifactHarness } from './harness.ts';

/** The set with only the scenarios marked `production_safe: true` (malformed files stay: they are harness errors). */
export function productionSafeOnly(set: ScenarioSet): ScenarioSet {
  return { ...set, scenarios: set.scenarios.filter((loaded) => loaded.scenario.production_safe) };
}

/** A harness whose every trial meets the running service at `baseUrl`; it never starts a process. */
export function createTargetHarness(baseUrl: string): ArtifactHarness {
  const url = baseUrl.replace(/\/+$/, '');
  return {
    isolation: {
      credentialsScrubbed: true,
      scenariosOutsideWorkdir: true,
      network: 'not applied',
      note: 'drift replay against a running service: nothing was built or started here',
    },
    async open() {
      return { target: { kind: 'http', baseUrl: url }, alive: () => true, close: async () => '' };
    },
    async dispose() {},
  };
}
