// Checks every request the App makes in a test against GitHub's own OpenAPI description
// (@octokit/openapi): the method and path must exist, query keys must be declared parameters, and a
// JSON body must satisfy the operation's requestBody schema. A minimal validator for the JSON-schema
// subset GitHub's description uses (type, nullable, enum, properties, required,
// additionalProperties, items, oneOf/anyOf/allOf, max/min lengths and counts) — no extra package.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type nock from 'nock';

type Scope = nock.Scope;

type Schema = Record<string, unknown>;

interface Operation {
  parameters?: Array<Schema & { name: string; in: string }>;
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}

interface Description {
  paths: Record<string, Record<string, Operation>>;
  components: Record<string, Record<string, Schema>>;
}

interface Route {
  template: string;
  pattern: RegExp;
  literalLength: number;
  methods: Record<string, Operation>;
}

const require = createRequire(import.meta.url);

function loadDescription(): Description {
  const file = require.resolve('@octokit/openapi/generated/api.github.com.json');
  return JSON.parse(readFileSync(file, 'utf8')) as Description;
}

function routeOf(template: string, methods: Record<string, Operation>): Route {
  const parts = template.split(/(\{[^}]+\})/).filter((part) => part !== '');
  const source = parts.map((part, index) => {
    if (!part.startsWith('{')) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    // A trailing `{path}` (contents API) may hold slashes.
    return index === parts.length - 1 && part === '{path}' ? '.+' : '[^/]+';
  }).join('');
  const literalLength = parts.filter((part) => !part.startsWith('{')).join('').length;
  return { template, pattern: new RegExp(`^${source}$`), literalLength, methods };
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

export class OpenApiChecker {
  readonly #description: Description;
  readonly #routes: Route[];
  readonly #violations: string[] = [];

  constructor(description: Description = loadDescription()) {
    this.#description = description;
    this.#routes = Object.entries(description.paths)
      .map(([template, methods]) => routeOf(template, methods))
      .sort((a, b) => b.literalLength - a.literalLength);
  }

  /** Problems found so far, one line each; empty when GitHub would have accepted every request. */
  violations(): string[] {
    return [...this.#violations];
  }

  /** Checks one request; returns its problems (also kept for `violations()`). */
  check(method: string, url: string, body: string | undefined): string[] {
    const parsed = new URL(url, 'https://api.github.com');
    const path = decodeURIComponent(parsed.pathname);
    const verb = method.toLowerCase();
    const label = `${method.toUpperCase()} ${path}`;
    const route = this.#routes.find((candidate) => candidate.pattern.test(path) && candidate.methods[verb] !== undefined);
    const problems: string[] = [];
    if (!route) {
      problems.push(`${label}: no such operation in GitHub's OpenAPI description`);
    } else {
      const operation = route.methods[verb] as Operation;
      const parameters = (operation.parameters ?? []).map((parameter) => this.#resolve(parameter) as Schema & { name: string; in: string });
      const declared = new Set(parameters.filter((parameter) => parameter.in === 'query').map((parameter) => parameter.name));
      for (const key of parsed.searchParams.keys()) {
        if (!declared.has(key)) problems.push(`${label}: query parameter \`${key}\` is not declared for ${route.template}`);
      }
      const schema = operation.requestBody?.content?.['application/json']?.schema;
      if (body !== undefined && body !== '') {
        if (!schema) {
          problems.push(`${label}: sends a body but the operation takes none`);
        } else {
          let value: unknown;
          try {
            value = JSON.parse(body);
          } catch {
            problems.push(`${label}: body is not JSON`);
          }
          if (value !== undefined) problems.push(...this.validate(schema, value, 'body').map((problem) => `${label}: ${problem}`));
        }
      } else if (schema && (operation.requestBody as { required?: boolean }).required) {
        problems.push(`${label}: the operation requires a body`);
      }
    }
    this.#violations.push(...problems);
    return problems;
  }

  /** Attaches the checker to a nock scope: each intercepted request is checked. */
  watch(scope: Scope): Scope {
    scope.on('request', (request: { method: string; url?: string; path?: string }, _interceptor: unknown, body: string) => {
      this.check(request.method, request.url ?? request.path ?? '', body);
    });
    return scope;
  }

  #resolve(schema: Schema): Schema {
    let current = schema;
    while (typeof current.$ref === 'string') {
      const [, , section, name] = current.$ref.split('/');
      current = this.#description.components[section as string]?.[name as string] ?? {};
    }
    return current;
  }

  validate(rawSchema: Schema, value: unknown, at: string): string[] {
    const schema = this.#resolve(rawSchema);
    if (value === null && schema.nullable === true) return [];
    const problems: string[] = [];
    const allOf = schema.allOf as Schema[] | undefined;
    if (allOf) for (const part of allOf) problems.push(...this.validate(part, value, at));
    for (const key of ['oneOf', 'anyOf'] as const) {
      const options = schema[key] as Schema[] | undefined;
      if (options && !options.some((option) => this.validate(option, value, at).length === 0)) {
        problems.push(`${at}: matches none of the ${key} alternatives`);
      }
    }
    const declaredType = schema.type as string | string[] | undefined;
    if (declaredType !== undefined) {
      const types = Array.isArray(declaredType) ? declaredType : [declaredType];
      const actual = typeOf(value);
      const fits = types.includes(actual) || (actual === 'integer' && types.includes('number'));
      if (!fits) return [...problems, `${at}: expected ${types.join(' | ')}, got ${actual}`];
    }
    const allowed = schema.enum as unknown[] | undefined;
    if (allowed && !allowed.includes(value)) problems.push(`${at}: ${JSON.stringify(value)} is not one of ${JSON.stringify(allowed)}`);
    if (typeof value === 'string') {
      if (typeof schema.maxLength === 'number' && value.length > schema.maxLength) problems.push(`${at}: longer than ${schema.maxLength}`);
      if (typeof schema.minLength === 'number' && value.length < schema.minLength) problems.push(`${at}: shorter than ${schema.minLength}`);
    }
    if (Array.isArray(value)) {
      if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) problems.push(`${at}: more than ${schema.maxItems} items`);
      if (typeof schema.minItems === 'number' && value.length < schema.minItems) problems.push(`${at}: fewer than ${schema.minItems} items`);
      const items = schema.items as Schema | undefined;
      if (items) value.forEach((item, index) => problems.push(...this.validate(items, item, `${at}[${index}]`)));
    }
    if (typeOf(value) === 'object') {
      const object = value as Record<string, unknown>;
      const properties = (schema.properties ?? {}) as Record<string, Schema>;
      for (const key of (schema.required ?? []) as string[]) {
        if (!(key in object)) problems.push(`${at}: missing required \`${key}\``);
      }
      if (typeof schema.maxProperties === 'number' && Object.keys(object).length > schema.maxProperties) {
        problems.push(`${at}: more than ${schema.maxProperties} properties`);
      }
      for (const [key, item] of Object.entries(object)) {
        const property = properties[key];
        if (property) {
          problems.push(...this.validate(property, item, `${at}.${key}`));
        } else if (schema.additionalProperties === false || (schema.additionalProperties === undefined && schema.properties !== undefined)) {
          // GitHub ignores unknown fields silently; a misspelt one is still a bug, so it fails here.
          problems.push(`${at}: unknown property \`${key}\``);
        } else if (typeof schema.additionalProperties === 'object' && schema.additionalProperties !== null) {
          problems.push(...this.validate(schema.additionalProperties as Schema, item, `${at}.${key}`));
        }
      }
    }
    return problems;
  }
}
