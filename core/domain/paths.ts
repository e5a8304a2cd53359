// Path patterns of `.github/factory.yml` (`spec/**`, `CODEOWNERS`): matched against the whole
// repository-relative path; `**` spans folders, `*` and `?` stay inside one segment, and a trailing
// slash means the folder and everything under it.

function patternToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i += 1) {
    const char = pattern[i] as string;
    if (char === '*' && pattern[i + 1] === '*') {
      const slashAfter = pattern[i + 2] === '/';
      source += slashAfter ? '(?:.*/)?' : '.*';
      i += slashAfter ? 2 : 1;
    } else if (char === '*') {
      source += '[^/]*';
    } else if (char === '?') {
      source += '[^/]';
    } else {
      source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`);
}

export function matchesPath(path: string, pattern: string): boolean {
  const trimmed = pattern.replace(/^\.?\//, '');
  if (trimmed.endsWith('/')) return path.startsWith(trimmed);
  return patternToRegExp(trimmed).test(path);
}

export function matchesAnyPath(path: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) => matchesPath(path, pattern));
}
