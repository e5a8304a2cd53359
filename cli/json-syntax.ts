// Where a JSON text stops being JSON. V8's JSON.parse messages do not always carry a position, and a
// user fixing a stub file by hand needs the line and column.

export interface JsonSyntaxProblem {
  line: number;
  column: number;
  message: string;
}

class Scanner {
  readonly #text: string;
  pos = 0;

  constructor(text: string) {
    this.#text = text;
  }

  fail(message: string): never {
    throw Object.assign(new Error(message), { at: this.pos });
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
    if (!this.#text.startsWith(word, this.pos)) this.fail(`unexpected '${this.peek()}' (strings need double quotes)`);
    this.pos += word.length;
  }

  string(): void {
    this.expect('"');
    while (this.peek() !== '"') {
      if (this.peek() === '' || this.peek() === '\n') this.fail('unterminated string');
      if (this.peek() === '\\') this.pos++;
      this.pos++;
    }
    this.pos++;
  }

  number(): void {
    const match = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/.exec(this.#text.slice(this.pos));
    if (!match) this.fail(`unexpected '${this.peek()}'`);
    this.pos += match[0].length;
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
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

/** The first syntax problem of a text JSON.parse rejected (undefined if the scanner finds none). */
export function locateJsonSyntaxError(text: string): JsonSyntaxProblem | undefined {
  const scanner = new Scanner(text);
  try {
    scanner.value();
    scanner.end();
    return undefined;
  } catch (error) {
    const at = (error as { at?: number }).at ?? scanner.pos;
    return { ...lineAndColumn(text, at), message: (error as Error).message };
  }
}
