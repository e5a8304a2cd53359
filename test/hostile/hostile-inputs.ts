// Hostile inputs shared by the tests of test/hostile and the fuzz suite.

/** The billion-laughs shape: each level repeats the one before nine times (9^levels strings). */
export function aliasBomb(levels = 9): string {
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let level = 1; level < levels; level++) {
    const previous = String.fromCharCode(96 + level);
    const name = String.fromCharCode(97 + level);
    lines.push(`${name}: &${name} [${Array.from({ length: 9 }, () => `*${previous}`).join(',')}]`);
  }
  return `${lines.join('\n')}\n`;
}
