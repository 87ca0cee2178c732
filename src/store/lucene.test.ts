import { describe, expect, it } from 'vitest';
import { escapeLucene } from './lucene.js';

describe('escapeLucene', () => {
  it('leaves plain words alone', () => {
    expect(escapeLucene('terre des hommes')).toBe('terre des hommes');
  });
  it('escapes every operator and special character', () => {
    expect(escapeLucene('a+b -c !d (e) {f} [g] ^h "i" ~j *k ?l :m \\n /o')).toBe(
      'a\\+b \\-c \\!d \\(e\\) \\{f\\} \\[g\\] \\^h \\"i\\" \\~j \\*k \\?l \\:m \\\\n \\/o',
    );
    expect(escapeLucene('a && b || c')).toBe('a \\&\\& b \\|\\| c');
  });
  it('turns the operators AND, OR and NOT into plain words', () => {
    expect(escapeLucene('terre OR NOT hommes AND')).toBe('terre or not hommes and');
    expect(escapeLucene('ANDROID NOTE')).toBe('ANDROID NOTE');
  });
});
