import { describe, expect, it } from '@jest/globals';
import { OpenApiChecker } from '../support/openapi-check.ts';

const checker = new OpenApiChecker();

describe('the OpenAPI request checker used by the App tests', () => {
  it('accepts a request GitHub would accept', () => {
    expect(checker.check('POST', 'https://api.github.com/repos/o/r/check-runs',
      JSON.stringify({ name: 'factory', head_sha: 'a'.repeat(40), status: 'queued', output: { title: 't', summary: 's' } }))).toEqual([]);
    expect(checker.check('GET', 'https://api.github.com/repos/o/r/contents/.github/factory.yml?ref=main', undefined)).toEqual([]);
  });

  it('fails an unknown path, an undeclared query key, a wrong enum, a misspelt field and too many inputs', () => {
    expect(checker.check('POST', 'https://api.github.com/repos/o/r/check-run', '{}')[0]).toContain('no such operation');
    expect(checker.check('GET', 'https://api.github.com/repos/o/r/pulls?stat=open', undefined)[0]).toContain('`stat` is not declared');
    const problems = checker.check('POST', 'https://api.github.com/repos/o/r/check-runs', JSON.stringify({ name: 'x', head_sha: 'y', status: 'done', extrnal_id: '1' }));
    expect(problems.join('\n')).toContain('"done" is not one of');
    expect(problems.join('\n')).toContain('unknown property `extrnal_id`');
    const inputs = Object.fromEntries(Array.from({ length: 26 }, (_, i) => [`k${i}`, 'v']));
    expect(checker.check('POST', 'https://api.github.com/repos/o/r/actions/workflows/f.yml/dispatches', JSON.stringify({ ref: 'main', inputs }))[0])
      .toContain('more than 25 properties');
    expect(checker.check('POST', 'https://api.github.com/repos/o/r/actions/workflows/f.yml/dispatches', JSON.stringify({ inputs: {} }))[0])
      .toContain('missing required `ref`');
  });
});
