import { describe, expect, it } from 'vitest';
import { random, SIZES, syntheticSource } from './generate.js';

const collect = (seed: number) => [...syntheticSource('tiny', seed, 100).batches];

describe('syntheticSource', () => {
  it('is deterministic: the same seed gives the same rows, another seed other rows', () => {
    expect(JSON.stringify(collect(1))).toBe(JSON.stringify(collect(1)));
    expect(JSON.stringify(collect(2))).not.toBe(JSON.stringify(collect(1)));
  });

  it('has the size asked for, in batches, with one lead per programme', () => {
    const batches = collect(1);
    const all = (label: 'Organisation' | 'Programme' | 'Fund') =>
      batches.flatMap((b) => b.nodes[label]);
    expect(all('Organisation')).toHaveLength(SIZES.tiny.organisations);
    expect(all('Programme')).toHaveLength(SIZES.tiny.programmes);
    // Organisations in batches of 500, then programmes in batches of 100.
    expect(batches).toHaveLength(1 + SIZES.tiny.programmes / 100);
    const participations = batches
      .flatMap((b) => b.relationships)
      .filter((g) => g.type === 'PARTICIPATES_IN')
      .flatMap((g) => g.rows);
    const leads = participations.filter((r) => r.props.role === 'LEAD');
    expect(new Set(leads.map((r) => r.to)).size).toBe(SIZES.tiny.programmes);
    expect(leads).toHaveLength(SIZES.tiny.programmes);
  });

  it('gives partner counts a long tail: most organisations in few programmes, a few hubs in many', () => {
    const counts = new Map<string, number>();
    for (const b of collect(3))
      for (const g of b.relationships.filter((r) => r.type === 'PARTICIPATES_IN'))
        for (const r of g.rows) counts.set(r.from, (counts.get(r.from) ?? 0) + 1);
    const sorted = [...counts.values()].sort((a, b) => b - a);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    expect(sorted[0]!).toBeGreaterThan(10 * median);
  });

  it('draws uniform numbers in [0, 1)', () => {
    const r = random(42);
    const xs = Array.from({ length: 10_000 }, r);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean).toBeGreaterThan(0.48);
    expect(mean).toBeLessThan(0.52);
  });
});
