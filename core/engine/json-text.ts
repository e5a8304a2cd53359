// Where a JSON text stops being JSON. V8's JSON.parse messages do not always carry a position, and a
// user fixing a stub file, a scripted session or a checkpoint by hand needs the line and column.
// Every JSON file the CLI reads goes through `parseJsonText`.

export interface JsonSyntaxProblem {
  line: number;
  column: number;
  message: string;
  /** The text ends where more JSON was expected: a cut file, not a typo. */
  truncated: boolean;
}

/** A JSON file that does not parse, located. `message` is `<file>:<line>:<column>: invalid JSON: <what>`. */
export class JsonTextError extends Error {
  readonly code = 'json_syntax';
  readonly file: string;
  readonly line: number | undefined;
  readonly column: number | undefined;
  readonly reason: string;
  readonly truncated: boolean;
  constructor(file: string, reason: string, position: { line: number; column: number } | undefined, truncated: boolean) {
    super(`${file}${position ? `:${position.line}:${position.column}` : ''}: invalid JSON: ${reason}`);
    this.name = 'JsonTextError';
    this.file = file;
    this.line = position?.line;
    this.column = position?.column;
    this.reason = reason;
    this.truncated = truncated;
  }
}

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
/** What a number cut short by the end of the file can look like (`-`, `1.`, `2e+`). */
const NUMBER_PREFIX = /^-?(?:0|[1-9][0-9]*)?(?:\.[0-9]*)?(?:[eE][+-]?[0-9]*)?$/;
const NUMBER_CHARACTERS = '+-.eE0123456789';

class Scanner {
  readonly #text: string;
  pos = 0;

  constructor(text: string) {
    this.#text = text;
  }

  fail(message: string): never {
    throw Object.assign(new Error(message), { at: this.pos, truncated: this.pos >= this.#text.length });
  }

  peek(): string {
    return this.#text[this.pos] ?? '';
  }

  skipSpace(): void {
    while (/[ \t\r\n]/.test(this.peek()) && this.pos < this.#text.length) this.pos++;
  }

  expect(char: string): void {
    if (this.peek() !== char) this.fail(this.peek() ? `expected '${char}' but found '${this.peek()}'` : `expected '${char}' but the file ends`);
    this.pos++;
  }

  literal(word: string): void {
    const rest = this.#text.slice(this.pos, this.pos + word.length);
    if (rest.length < word.length && word.startsWith(rest)) {
      this.pos = this.#text.length;
      this.fail(`the file ends inside '${word}'`);
    }
    if (!this.#text.startsWith(word, this.pos)) this.fail(`unexpected '${this.peek()}' (strings need double quotes)`);
    this.pos += word.length;
  }

  string(): void {
    this.expect('"');
    while (this.peek() !== '"') {
      const char = this.peek();
      if (char === '') this.fail('the file ends inside a string');
      if (char === '\n') this.fail('unterminated string');
      if (char < ' ') this.fail(`a control character (U+${char.charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}) inside a string must be escaped`);
      if (char === '\\') {
        this.pos++;
        const escape = this.peek();
        if (escape === '') this.fail('the file ends inside a string');
        if (escape === 'u') {
          const hex = this.#text.slice(this.pos + 1, this.pos + 5);
          if (!/^[0-9A-Fa-f]{4}$/.test(hex)) {
            if (this.pos + 1 + hex.length >= this.#text.length && /^[0-9A-Fa-f]*$/.test(hex)) {
              this.pos = this.#text.length;
              this.fail('the file ends inside a string');
            }
            this.fail('\\u must be followed by four hexadecimal digits');
          }
          this.pos += 4;
        } else if (!'"\\/bfnrt'.includes(escape)) {
          this.fail(`unknown escape '\\${escape}' (JSON knows \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)`);
        }
      }
      this.pos++;
    }
    this.pos++;
  }

  number(): void {
    const start = this.pos;
    NUMBER.lastIndex = start;
    const match = NUMBER.exec(this.#text);
    let end = start;
    while (end < this.#text.length && NUMBER_CHARACTERS.includes(this.#text[end]!)) end++;
    if (match && start + match[0].length === end) {
      this.pos = end;
      return;
    }
    if (end === this.#text.length && NUMBER_PREFIX.test(this.#text.slice(start, end))) {
      this.pos = end;
      this.fail('the file ends inside a number');
    }
    if (!match) this.fail(`unexpected '${this.peek()}'`);
    this.pos = start + match[0].length;
  }

  value(): void {
    this.skipSpace();
    const char = this.peek();
    if (char === '{') this.members('}', () => {
      this.skipSpace();
      this.string();
      this.skipSpace();
      this.expect(':');
      this.value();
    });
    else if (char === '[') this.members(']', () => this.value());
    else if (char === '"') this.string();
    else if (char === '-' || (char >= '0' && char <= '9')) this.number();
    else if (char === 't') this.literal('true');
    else if (char === 'f') this.literal('false');
    else if (char === 'n') this.literal('null');
    else this.fail(char ? `unexpected '${char}' (strings need double quotes)` : 'the file ends where a value should be');
  }

  members(close: string, member: () => void): void {
    this.pos++;
    this.skipSpace();
    if (this.peek() === close) {
      this.pos++;
      return;
    }
    while (true) {
      member();
      this.skipSpace();
      if (this.peek() === ',') {
        this.pos++;
        continue;
      }
      this.expect(close);
      return;
    }
  }

  end(): void {
    this.skipSpace();
    if (this.pos < this.#text.length) this.fail(`unexpected '${this.peek()}' after the end of the JSON value`);
  }
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let index = text.indexOf('\n'); index !== -1 && index < offset; index = text.indexOf('\n', index + 1)) {
    line++;
    lineStart = index + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** The first syntax problem of a text JSON.parse rejected (undefined if the scanner finds none). */
export function locateJsonSyntaxError(text: string): JsonSyntaxProblem | undefined {
  const scanner = new Scanner(text);
  try {
    scanner.value();
    scanner.end();
    return undefined;
  } catch (error) {
    const { at = scanner.pos, truncated = false } = error as { at?: number; truncated?: boolean };
    return { ...lineAndColumn(text, at), message: (error as Error).message, truncated };
  }
}

/** JSON.parse with a located error: throws `JsonTextError` naming `file`, line and column. */
export function parseJsonText(text: string, file: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const problem = locateJsonSyntaxError(text);
    if (problem) throw new JsonTextError(file, problem.message, problem, problem.truncated);
    throw new JsonTextError(file, (error as Error).message, undefined, text.trim() === '');
  }
}
