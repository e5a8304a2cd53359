// Deterministic checks over a trial's recorded interactions (contracts.md §8). A check looks at the
// last interaction its `on` selector matches (the last interaction of its kind without one).
// `{{name}}` in expected strings is replaced by the trial's variation value.
import type { ScenarioCheck } from '../domain/scenario.ts';
import type { CheckResult, CliInteraction, HttpInteraction, Interaction, TwinExchange, VariationValue } from './types.ts';

type Variations = Readonly<Record<string, VariationValue>>;

export function substitute(text: string, variations: Variations): string {
  return text.replace(/\{\{\s*([\w.-]+)\s*\}\}/g, (whole, name: string) => (name in variations ? String(variations[name]) : whole));
}

export function substituteValue(value: unknown, variations: Variations): unknown {
  if (typeof value === 'string') {
    const only = /^\{\{\s*([\w.-]+)\s*\}\}$/.exec(value);
    if (only && only[1]! in variations) return variations[only[1]!];
    return substitute(value, variations);
  }
  if (Array.isArray(value)) return value.map((item) => substituteValue(item, variations));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substituteValue(item, variations)]));
  }
  return value;
}

/** `a.b[0].c` → the value, or `undefined` when any step is missing. */
export function readJsonPath(document: unknown, path: string): unknown {
  const steps = path.replace(/\[(\d+)\]/g, '.$1').split('.').filter((step) => step !== '');
  let current: unknown = document;
  for (const step of steps) {
    if (current === null || typeof current !== 'object') return undefined;
    if (!Object.prototype.hasOwnProperty.call(current, step)) return undefined;
    current = (current as Record<string, unknown>)[step];
  }
  return current;
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function isHttpCheck(check: ScenarioCheck): boolean {
  return 'status' in check || 'header' in check || 'json' in check;
}

function select(check: ScenarioCheck, interactions: readonly Interaction[], variations: Variations): Interaction | undefined {
  const kind = isHttpCheck(check) ? 'http' : 'cli';
  const on = check.on;
  const candidates = interactions.filter((interaction) => {
    if (interaction.kind !== kind) return false;
    if (!on) return true;
    if (interaction.kind === 'http') {
      if (on.method && interaction.request.method.toUpperCase() !== on.method.toUpperCase()) return false;
      if (on.path && interaction.request.path.split('?')[0] !== substitute(on.path, variations)) return false;
      return true;
    }
    return on.arg === undefined || interaction.args[0] === substitute(on.arg, variations);
  });
  return candidates.at(-1);
}

function evaluateHttp(check: ScenarioCheck, http: HttpInteraction, variations: Variations): { passed: boolean; detail: string } {
  const response = http.response;
  if (!response) return { passed: false, detail: `no response (${http.error ?? 'request failed'})` };
  if ('status' in check) {
    const allowed = Array.isArray(check.status) ? check.status : [check.status];
    return { passed: allowed.includes(response.status), detail: `status ${response.status}, expected ${allowed.join(' or ')}` };
  }
  if ('header' in check) {
    const value = response.headers[check.header.name.toLowerCase()];
    const { equals, contains, present } = check.header;
    if (present === false) return { passed: value === undefined, detail: `header ${check.header.name} ${value === undefined ? 'absent' : 'present'}` };
    if (value === undefined) return { passed: false, detail: `header ${check.header.name} absent` };
    if (equals !== undefined && value !== substitute(equals, variations)) return { passed: false, detail: `header ${check.header.name} differs` };
    if (contains !== undefined && !value.includes(substitute(contains, variations))) return { passed: false, detail: `header ${check.header.name} lacks the expected text` };
    return { passed: true, detail: `header ${check.header.name} matches` };
  }
  if ('json' in check) {
    let document: unknown;
    try {
      document = JSON.parse(response.body);
    } catch {
      return { passed: false, detail: 'body is not JSON' };
    }
    const path = substitute(check.json.path, variations);
    const value = readJsonPath(document, path);
    const { exists, equals, contains } = check.json;
    if (exists === false) return { passed: value === undefined, detail: `${path} ${value === undefined ? 'absent' : 'present'}` };
    if (value === undefined) return { passed: false, detail: `${path} absent` };
    if (equals !== undefined && !deepEqual(value, substituteValue(equals, variations))) return { passed: false, detail: `${path} differs` };
    if (contains !== undefined && !String(typeof value === 'string' ? value : JSON.stringify(value)).includes(substitute(contains, variations))) {
      return { passed: false, detail: `${path} lacks the expected text` };
    }
    return { passed: true, detail: `${path} matches` };
  }
  return { passed: false, detail: 'not an HTTP check' };
}

function evaluateCli(check: ScenarioCheck, cli: CliInteraction, variations: Variations): { passed: boolean; detail: string } {
  if ('exit_code' in check) return { passed: cli.exitCode === check.exit_code, detail: `exit code ${String(cli.exitCode)}, expected ${check.exit_code}` };
  if ('stdout' in check) {
    const { equals, contains, not_contains: notContains, matches } = check.stdout;
    const out = cli.stdout;
    if (equals !== undefined && out.trimEnd() !== substitute(equals, variations).trimEnd()) return { passed: false, detail: 'stdout differs' };
    if (contains !== undefined && !out.includes(substitute(contains, variations))) return { passed: false, detail: 'stdout lacks the expected text' };
    if (notContains !== undefined && out.includes(substitute(notContains, variations))) return { passed: false, detail: 'stdout holds text it must not' };
    if (matches !== undefined) {
      let pattern: RegExp;
      try {
        pattern = new RegExp(substitute(matches, variations), 'm');
      } catch {
        return { passed: false, detail: 'stdout pattern is not a valid regular expression' };
      }
      if (!pattern.test(out)) return { passed: false, detail: 'stdout does not match' };
    }
    return { passed: true, detail: 'stdout matches' };
  }
  return { passed: false, detail: 'not a CLI check' };
}

function isTwinCheck(check: ScenarioCheck): check is Extract<ScenarioCheck, { twin_requests: unknown } | { twin_json: unknown }> {
  return 'twin_requests' in check || 'twin_json' in check;
}

/** The exchanges `on: { twin, method, path }` selects (all of them without a selector). */
export function selectTwinExchanges(on: ScenarioCheck['on'], traffic: readonly TwinExchange[], variations: Variations): TwinExchange[] {
  return traffic.filter((exchange) => {
    if (!on) return true;
    if (on.twin !== undefined && exchange.twin !== substitute(on.twin, variations)) return false;
    if (on.method && exchange.request.method.toUpperCase() !== on.method.toUpperCase()) return false;
    if (on.path && exchange.request.path !== substitute(on.path, variations)) return false;
    return true;
  });
}

function describeSelector(on: ScenarioCheck['on']): string {
  if (!on) return 'to the twins';
  const parts = [on.method?.toUpperCase(), on.path].filter(Boolean).join(' ');
  return `${parts ? `${parts} ` : ''}to ${on.twin ? `twin ${on.twin}` : 'the twins'}`;
}

function evaluateTwin(check: Extract<ScenarioCheck, { twin_requests: unknown } | { twin_json: unknown }>, traffic: readonly TwinExchange[], variations: Variations): { passed: boolean; detail: string } {
  const matching = selectTwinExchanges(check.on, traffic, variations);
  if ('twin_requests' in check) {
    const { count, min, max } = check.twin_requests;
    const n = matching.length;
    const passed = (count === undefined || n === count) && (min === undefined || n >= min) && (max === undefined || n <= max);
    const wanted = [count !== undefined ? `exactly ${count}` : '', min !== undefined ? `at least ${min}` : '', max !== undefined ? `at most ${max}` : ''].filter(Boolean).join(' and ');
    return { passed, detail: `${n} request(s) ${describeSelector(check.on)}, expected ${wanted}` };
  }
  const last = matching.at(-1);
  if (!last) return { passed: false, detail: `no request ${describeSelector(check.on)} was recorded` };
  let document: unknown;
  try {
    document = JSON.parse(last.request.body ?? '');
  } catch {
    return { passed: false, detail: 'the request body is not JSON' };
  }
  const path = substitute(check.twin_json.path, variations);
  const value = readJsonPath(document, path);
  const { exists, equals, contains } = check.twin_json;
  if (exists === false) return { passed: value === undefined, detail: `${path} ${value === undefined ? 'absent' : 'present'}` };
  if (value === undefined) return { passed: false, detail: `${path} absent` };
  if (equals !== undefined && !deepEqual(value, substituteValue(equals, variations))) return { passed: false, detail: `${path} differs` };
  if (contains !== undefined && !String(typeof value === 'string' ? value : JSON.stringify(value)).includes(substitute(contains, variations))) {
    return { passed: false, detail: `${path} lacks the expected text` };
  }
  return { passed: true, detail: `${path} matches` };
}

export function evaluateChecks(checks: readonly ScenarioCheck[], interactions: readonly Interaction[], variations: Variations, twinTraffic: readonly TwinExchange[] = []): CheckResult[] {
  return checks.map((check, index) => {
    const base = { index, must: check.must, ...(check.id ? { id: check.id } : {}) };
    if (isTwinCheck(check)) return { ...base, ...evaluateTwin(check, twinTraffic, variations) };
    const target = select(check, interactions, variations);
    if (!target) return { ...base, passed: false, detail: 'no matching interaction was recorded' };
    const result = target.kind === 'http' ? evaluateHttp(check, target, variations) : evaluateCli(check, target, variations);
    return { ...base, ...result };
  });
}

export function mustChecksPass(results: readonly CheckResult[]): boolean {
  return results.every((result) => !result.must || result.passed);
}
