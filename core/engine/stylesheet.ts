// The model stylesheet (Attractor §8): CSS-like rules that give nodes default LLM settings.
import { EngineError } from './errors.ts';
import { attrString, type GraphNode } from './graph.ts';

// Beyond Attractor's three, the coding agent's session limits (endurance issue) may be set per class too.
export const STYLE_PROPERTIES = ['llm_model', 'llm_provider', 'reasoning_effort', 'max_turns', 'max_tool_rounds_per_input'] as const;
export type StyleProperty = (typeof STYLE_PROPERTIES)[number];

export type StyleSelector =
  | { kind: 'universal' }
  | { kind: 'shape'; shape: string }
  | { kind: 'class'; className: string }
  | { kind: 'id'; id: string };

export interface StyleDeclaration {
  property: StyleProperty;
  value: string;
  line: number;
  column: number;
}

export interface StyleRule {
  selector: StyleSelector;
  declarations: StyleDeclaration[];
  /** Position of the selector within the stylesheet text (1-based). */
  line: number;
  column: number;
}

export type ResolvedStyle = Partial<Record<StyleProperty, string>>;

export class StylesheetSyntaxError extends EngineError {
  /** 1-based position within the stylesheet text, not the DOT file. */
  readonly line: number;
  readonly column: number;
  readonly reason: string;
  constructor(reason: string, line: number, column: number) {
    super('stylesheet_syntax', `${reason} at line ${line}, column ${column} of the stylesheet`);
    this.reason = reason;
    this.line = line;
    this.column = column;
  }
}

const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_]*/y;
// §8.2 allows [a-z0-9-]; we also accept capitals and underscores because `class="..."` may contain them.
const CLASS_NAME = /[A-Za-z0-9_-]+/y;
const BARE_VALUE = /[^\s;{}"',]+/y;
const WHITESPACE = /\s+/y;
const ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', n: '\n', t: '\t' };

function isStyleProperty(name: string): name is StyleProperty {
  return (STYLE_PROPERTIES as readonly string[]).includes(name);
}

/** A read position over the stylesheet text that knows how to report where it is. */
class StylesheetReader {
  readonly text: string;
  at = 0;
  /** Offsets where each line starts, for positions in O(log lines) instead of a rescan per declaration. */
  readonly #lineStarts: number[] = [0];
  constructor(text: string) {
    this.text = text;
    for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) this.#lineStarts.push(index + 1);
  }

  get done(): boolean {
    return this.at >= this.text.length;
  }

  peek(): string {
    return this.text.charAt(this.at);
  }

  skipSpaces(): void {
    WHITESPACE.lastIndex = this.at;
    if (WHITESPACE.test(this.text)) this.at = WHITESPACE.lastIndex;
  }

  match(pattern: RegExp): string | undefined {
    pattern.lastIndex = this.at;
    const found = pattern.exec(this.text)?.[0];
    if (found !== undefined) this.at += found.length;
    return found;
  }

  position(offset = this.at): { line: number; column: number } {
    let low = 0;
    let high = this.#lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.#lineStarts[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: offset - this.#lineStarts[low]! + 1 };
  }

  fail(reason: string, offset = this.at): StylesheetSyntaxError {
    const { line, column } = this.position(offset);
    return new StylesheetSyntaxError(reason, line, column);
  }

  describeHere(): string {
    return this.done ? 'the end of the stylesheet' : `'${this.peek()}'`;
  }
}

function readSelector(reader: StylesheetReader): StyleSelector {
  const start = reader.peek();
  if (start === '*') {
    reader.at++;
    return { kind: 'universal' };
  }
  if (start === '#' || start === '.') {
    reader.at++;
    const name = reader.match(start === '#' ? IDENTIFIER : CLASS_NAME);
    if (name === undefined) throw reader.fail(`expected ${start === '#' ? 'a node id' : 'a class name'} after '${start}'`);
    return start === '#' ? { kind: 'id', id: name } : { kind: 'class', className: name };
  }
  const shape = reader.match(IDENTIFIER);
  if (shape === undefined) throw reader.fail(`expected a selector (*, a shape name, #id or .class) but found ${reader.describeHere()}`);
  return { kind: 'shape', shape };
}

function readQuoted(reader: StylesheetReader): string {
  const open = reader.at;
  reader.at++;
  let value = '';
  while (!reader.done) {
    const ch = reader.peek();
    if (ch === '"') {
      reader.at++;
      return value;
    }
    if (ch === '\\') {
      const escaped = ESCAPES[reader.text.charAt(reader.at + 1)];
      if (escaped === undefined) throw reader.fail(`unknown escape '\\${reader.text.charAt(reader.at + 1)}' in string`);
      value += escaped;
      reader.at += 2;
    } else {
      value += ch;
      reader.at++;
    }
  }
  throw reader.fail('unterminated string', open);
}

function readDeclaration(reader: StylesheetReader): StyleDeclaration {
  const start = reader.at;
  const property = reader.match(IDENTIFIER);
  if (property === undefined) throw reader.fail(`expected a property name or '}' but found ${reader.describeHere()}`);
  if (!isStyleProperty(property)) {
    throw reader.fail(`unknown property '${property}'; the stylesheet sets only ${STYLE_PROPERTIES.join(', ')}`, start);
  }
  reader.skipSpaces();
  if (reader.peek() !== ':') throw reader.fail(`expected ':' after '${property}' but found ${reader.describeHere()}`);
  reader.at++;
  reader.skipSpaces();
  const valueStart = reader.at;
  const value = reader.peek() === '"' ? readQuoted(reader) : reader.match(BARE_VALUE);
  if (value === undefined) throw reader.fail(`expected a value for '${property}' but found ${reader.describeHere()}`);
  if (value.trim() === '') throw reader.fail(`the value of '${property}' is empty`, valueStart);
  return { property, value, ...reader.position(start) };
}

function readRule(reader: StylesheetReader): StyleRule {
  const start = reader.position();
  const selector = readSelector(reader);
  reader.skipSpaces();
  if (reader.peek() === ',') throw reader.fail('selector lists are not supported; write one rule per selector');
  if (reader.peek() !== '{') throw reader.fail(`expected '{' after the selector but found ${reader.describeHere()}`);
  reader.at++;
  const declarations: StyleDeclaration[] = [];
  for (;;) {
    reader.skipSpaces();
    if (reader.peek() === '}') break;
    if (reader.done) throw reader.fail(`expected '}' to close the rule at line ${start.line}, column ${start.column}`);
    declarations.push(readDeclaration(reader));
    reader.skipSpaces();
    if (reader.peek() === ';') reader.at++;
    else if (reader.peek() !== '}') throw reader.fail(`expected ';' or '}' after a declaration but found ${reader.describeHere()}`);
  }
  reader.at++;
  return { selector, declarations, ...start };
}

/** Parses `model_stylesheet`; blank text means no rules. */
export function parseStylesheet(text: string): StyleRule[] {
  const reader = new StylesheetReader(text);
  const rules: StyleRule[] = [];
  reader.skipSpaces();
  while (!reader.done) {
    rules.push(readRule(reader));
    reader.skipSpaces();
  }
  return rules;
}

/** §8.3: universal 0 < shape 1 < class 2 < id 3. */
export function selectorSpecificity(selector: StyleSelector): number {
  switch (selector.kind) {
    case 'universal':
      return 0;
    case 'shape':
      return 1;
    case 'class':
      return 2;
    case 'id':
      return 3;
  }
}

export function selectorMatches(selector: StyleSelector, node: GraphNode): boolean {
  switch (selector.kind) {
    case 'universal':
      return true;
    case 'shape':
      return (attrString(node.attrs, 'shape') || 'box') === selector.shape;
    case 'class':
      return node.classes.includes(selector.className);
    case 'id':
      return node.id === selector.id;
  }
}

/**
 * The rules indexed by selector kind, so resolving a node looks only at the rules that can match it
 * (linear in rules plus nodes, not their product). Rule order is kept as each rule's index.
 */
export class StyleIndex {
  readonly #universal: number[] = [];
  readonly #byShape = new Map<string, number[]>();
  readonly #byClass = new Map<string, number[]>();
  readonly #byId = new Map<string, number[]>();
  readonly #rules: readonly StyleRule[];

  constructor(rules: readonly StyleRule[]) {
    this.#rules = rules;
    const add = (map: Map<string, number[]>, key: string, index: number): void => {
      const list = map.get(key);
      if (list) list.push(index);
      else map.set(key, [index]);
    };
    rules.forEach((rule, index) => {
      const { selector } = rule;
      if (selector.kind === 'universal') this.#universal.push(index);
      else if (selector.kind === 'shape') add(this.#byShape, selector.shape, index);
      else if (selector.kind === 'class') add(this.#byClass, selector.className, index);
      else add(this.#byId, selector.id, index);
    });
  }

  /** Highest specificity wins, then the later rule: applying groups in rising specificity, each in rule order, gives exactly that. */
  resolve(node: GraphNode): ResolvedStyle {
    const resolved: ResolvedStyle = {};
    const apply = (indexes: readonly number[] | undefined): void => {
      for (const index of indexes ?? []) {
        for (const { property, value } of this.#rules[index]!.declarations) resolved[property] = value;
      }
    };
    apply(this.#universal);
    apply(this.#byShape.get(attrString(node.attrs, 'shape') || 'box'));
    const classRules = [...new Set(node.classes)].flatMap((name) => this.#byClass.get(name) ?? []);
    apply(classRules.length > 1 ? classRules.sort((a, b) => a - b) : classRules);
    apply(this.#byId.get(node.id));
    return resolved;
  }
}

/** The stylesheet's value for each property on this node: highest specificity wins, then the later rule. For many nodes, build one `StyleIndex`. */
export function resolveStyle(rules: readonly StyleRule[] | StyleIndex, node: GraphNode): ResolvedStyle {
  return (rules instanceof StyleIndex ? rules : new StyleIndex(rules)).resolve(node);
}
