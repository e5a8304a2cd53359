// The end of a possibly large output file, read without loading the whole file.
import { open } from 'node:fs/promises';

const MAX_UTF8_BYTES_PER_CHAR = 4;

export interface OutputTail {
  text: string;
  /** True when the file holds more than `text`. */
  truncated: boolean;
}

export async function readOutputTail(path: string, maxChars: number): Promise<OutputTail> {
  const file = await open(path, 'r');
  try {
    const size = (await file.stat()).size;
    const start = Math.max(0, size - maxChars * MAX_UTF8_BYTES_PER_CHAR);
    const buffer = Buffer.alloc(size - start);
    await file.read(buffer, 0, buffer.length, start);
    const text = buffer.toString('utf8');
    if (start === 0 && text.length <= maxChars) return { text, truncated: false };
    let tail = text.slice(-maxChars);
    // Do not start with half of a surrogate pair.
    if (/^[\uDC00-\uDFFF]/.test(tail)) tail = tail.slice(1);
    return { text: tail, truncated: true };
  } finally {
    await file.close();
  }
}

/** The last `count` non-empty-trailing lines of a text. */
export function lastLines(text: string, count: number): string {
  return text.trimEnd().split('\n').slice(-count).join('\n');
}
