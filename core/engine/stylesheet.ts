// The model stylesheet (Attractor §8): CSS-like rules that give nodes default LLM settings.
import { EngineError } from './errors.ts';
import { attrString, type GraphNode } from './graph.ts';

export const STYLE_PROPERTIES = ['llm_model', 'llm_provider', 'reasoning_effort'] as const;
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
const ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', n: '\n', t: '\t' };

function isStyleProperty(name: string): name is StyleProperty {
  return (STYLE_PROPERTIES as readonly string[]).includes(name);
}

/** A read position over the stylesheet text that knows how to report where it is. */
class StylesheetReader {
  readonly text: string;
  at = 0;
  constructor(text: string) {
    this.text = text;
  }

  get done(): boolean {
    return this.at >= this.text.length;
  }

  peek(): string {
    return this.text.charAt(this.at);
  }

  skipSpaces(): void {
    while (!this.done && /\s/.test(this.peek())) this.at++;
  }

  match(pattern: RegExp): string | undefined {
    pattern.lastIndex = this.at;
    const found = pattern.exec(this.text)?.[0];
    if (found !== undefined) this.at += found.length;
    return found;
  }

  position(offset = this.at): { line: number; column: number } {
    const before = this.text.slice(0, offset);
    const line = before.split('\n').length;
    return { line, column: offset - before.lastIndexOf('\n') };
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

/** The stylesheet's value for each property on this node: highest specificity wins, then the later rule. */
export function resolveStyle(rules: readonly StyleRule[], node: GraphNode): ResolvedStyle {
  const resolved: ResolvedStyle = {};
  const winningSpecificity: Partial<Record<StyleProperty, number>> = {};
  for (const rule of rules) {
    if (!selectorMatches(rule.selector, node)) continue;
    const specificity = selectorSpecificity(rule.selector);
    for (const { property, value } of rule.declarations) {
      if (specificity >= (winningSpecificity[property] ?? -1)) {
        resolved[property] = value;
        winningSpecificity[property] = specificity;
      }
    }
  }
  return resolved;
}
