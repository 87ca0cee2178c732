import { describe, expect, it } from 'vitest';
import { emptyInputSize, inputBreach, measureInput } from './input-size.js';

const nestedFilter = (levels: number) => {
  let w: unknown = { key: { eq: 'x' } };
  for (let i = 0; i < levels; i++) w = { participatesIn: { all: { participants: { some: w } } } };
  return w;
};

describe('measureInput', () => {
  it('counts nested relationship filters, depth, values, list and string lengths', () => {
    const size = measureInput({
      OR: [{ name: { eq: 'a' } }, { name: { in: ['b', 'cc', 'ddd'] } }],
      participatesIn: { some: { runsIn: { none: { country: { code: { eq: 'ET' } } } } } },
    });
    expect(size.filterDepth).toBe(2);
    expect(size.listLength).toBe(3);
    expect(size.stringLength).toBe(3);
    // root, OR, 2 items, 2 name objects, eq 'a', in, 3 strings, participatesIn … 'ET'
    expect(size.values).toBe(18);
    expect(size.depth).toBe(7);
  });

  it("measures the issue's ten-level filter as 20 nested relationship filters", () => {
    expect(measureInput(nestedFilter(10)).filterDepth).toBe(20);
  });

  it('adds to what earlier arguments measured: maxima stay maxima, values add up', () => {
    const size = emptyInputSize();
    measureInput(['a', 'b'], size);
    measureInput('long string', size);
    expect(size).toMatchObject({ values: 4, listLength: 2, stringLength: 11 });
  });

  it('stops counting a hostile input early and never recurses (no stack overflow)', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 200_000; i++) deep = [deep];
    const size = measureInput(deep, emptyInputSize(), 1_000);
    expect(size.values).toBe(1_000);
    expect(size.depth).toBe(999);
  });
});

describe('inputBreach', () => {
  const limits = { filterDepth: 3, depth: 16, values: 500, listLength: 100, stringLength: 1000 };
  it('names the first figure over its limit', () => {
    expect(inputBreach(measureInput(nestedFilter(2)), limits)).toEqual({
      figure: 'filterDepth',
      value: 4,
      max: 3,
    });
    const or = { OR: Array.from({ length: 3000 }, (_, i) => ({ key: { eq: `k${i}` } })) };
    expect(inputBreach(measureInput(or), limits)?.figure).toBe('values');
    expect(inputBreach(measureInput({ in: Array(101).fill(1) }), limits)?.figure).toBe(
      'listLength',
    );
  });
  it('passes what is within every limit', () => {
    expect(inputBreach(measureInput(nestedFilter(1)), limits)).toBeUndefined();
  });
});
