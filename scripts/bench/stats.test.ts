import { describe, expect, it } from 'vitest';
import { latency, markdownTable, percentile, replaceSection } from './stats.js';

describe('benchmark statistics', () => {
  it('takes nearest-rank percentiles', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 95)).toBe(95);
    expect(percentile(sorted, 99)).toBe(99);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
    expect(latency([3, 1, 2, 10])).toEqual({ p50: 2, p95: 10, p99: 10, max: 10, n: 4 });
  });

  it('replaces only its own section of BENCHMARKS.md, or appends it', () => {
    const text = '# B\n\n<!-- bench:small -->\nold\n<!-- /bench:small -->\n\nafter\n';
    expect(replaceSection(text, 'small', 'new')).toBe(
      '# B\n\n<!-- bench:small -->\nnew\n<!-- /bench:small -->\n\nafter\n',
    );
    expect(replaceSection(text, 'large', 'L')).toBe(
      `${text.trimEnd()}\n\n<!-- bench:large -->\nL\n<!-- /bench:large -->\n`,
    );
  });

  it('right-aligns numeric columns', () => {
    expect(
      markdownTable(
        ['q', 'ms'],
        [
          ['a', '1.5'],
          ['bb', '12.0'],
        ],
      ),
    ).toBe(['| q   |   ms |', '| --- | ---: |', '| a   |  1.5 |', '| bb  | 12.0 |'].join('\n'));
  });
});
