import { describe, expect, it } from 'vitest';
import { MAX_NAME } from './names.js';
import { propertyProblems } from './rules.js';

describe('the name rule, for editors and the page alike', () => {
  it('takes a name of up to MAX_NAME characters and refuses a longer one, saying why', () => {
    expect(propertyProblems({ name: 'n'.repeat(MAX_NAME) })).toEqual([]);
    expect(propertyProblems({ name: 'n'.repeat(MAX_NAME + 1), nameEn: 'Plan' })).toEqual([
      {
        property: 'name',
        message: expect.stringContaining(`at most ${MAX_NAME} characters`) as string,
      },
    ]);
    expect(propertyProblems({ nameEn: 'e'.repeat(MAX_NAME + 1) })).toHaveLength(1);
    expect(propertyProblems({ name: '  ' })).toHaveLength(1);
  });
});
