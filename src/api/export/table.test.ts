import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { flatten, rowsOf, toCsv } from './table.js';

describe('answers as tables', () => {
  it('takes the last top-level list, or the first list of a single object', () => {
    expect(rowsOf({ home: { name: 'us' }, partners: [{ a: 1 }] })).toEqual([{ a: 1 }]);
    expect(
      rowsOf({ countryProfile: { country: { code: 'ET' }, programmes: [{ b: 2 }], funders: [] } }),
    ).toEqual([{ b: 2 }]);
    expect(rowsOf({ country: null })).toEqual([]);
  });

  it('flattens nested fields to dotted columns and joins lists', () => {
    const row = flatten({
      organisation: { name: 'Plan', named: true },
      funding: [{ funder: { name: 'A' } }, { funder: { name: 'B' } }],
      countries: [],
      score: 1.5,
      fund: null,
    });
    expect(Object.fromEntries(row)).toEqual({
      'organisation.name': 'Plan',
      'organisation.named': 'true',
      'funding.funder.name': 'A; B',
      countries: '',
      score: '1.5',
      fund: '',
    });
  });

  it('writes CSV that a CSV reader reads back, quotes and commas included', () => {
    const csv = toCsv({
      partners: [
        { name: 'Terre des Hommes, NL', quote: 'met "partners"' },
        { name: 'Plan', quote: 'line\nbreak' },
      ],
    });
    expect(parse(csv, { columns: true })).toEqual([
      { name: 'Terre des Hommes, NL', quote: 'met "partners"' },
      { name: 'Plan', quote: 'line\nbreak' },
    ]);
  });
});
