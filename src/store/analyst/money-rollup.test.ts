import { describe, expect, it } from 'vitest';
import { rollupSetFor, type RollupQuestion } from './money-rollup.js';

const none = {
  funder: false,
  recipient: false,
  country: false,
  year: false,
  programme: false,
  sector: false,
};
const about = (
  q: Partial<Omit<RollupQuestion, 'by'>> & { by?: Partial<typeof none> },
): RollupQuestion => ({
  funder: null,
  recipient: null,
  programme: null,
  country: null,
  year: null,
  types: null,
  ...q,
  by: { ...none, ...q.by },
});

describe('rollupSetFor: which kept totals answer a question exactly', () => {
  it('counts a transaction as the question does', () => {
    expect(rollupSetFor(about({}))).toBe('none');
    expect(rollupSetFor(about({ by: { year: true }, types: ['DISBURSEMENT'], year: 2020 }))).toBe(
      'none',
    );
    expect(rollupSetFor(about({ by: { country: true } }))).toBe('country');
    // A country filter counts each transaction by its share there, grouped by it or not.
    expect(rollupSetFor(about({ country: 'ET' }))).toBe('country');
    expect(rollupSetFor(about({ by: { sector: true } }))).toBe('sector');
    expect(rollupSetFor(about({ by: { sector: true }, country: 'ET' }))).toBe('country+sector');
    expect(rollupSetFor(about({ by: { sector: true, country: true, year: true } }))).toBe(
      'country+sector',
    );
  });

  it('leaves questions about one funder, recipient or programme, or grouped by them, live', () => {
    expect(rollupSetFor(about({ funder: 'f' }))).toBeNull();
    expect(rollupSetFor(about({ recipient: 'r' }))).toBeNull();
    expect(rollupSetFor(about({ programme: 'p' }))).toBeNull();
    expect(rollupSetFor(about({ by: { funder: true } }))).toBeNull();
    expect(rollupSetFor(about({ by: { recipient: true } }))).toBeNull();
    expect(rollupSetFor(about({ by: { programme: true, year: true } }))).toBeNull();
  });
});
