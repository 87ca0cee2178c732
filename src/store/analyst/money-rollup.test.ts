import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ABOUT_EVERYTHING, groupedBy } from './money.js';
import { MoneyTotalsKeeper, rollupSetFor, type RollupQuestion } from './money-rollup.js';

const none = groupedBy();
const about = (
  q: Partial<Omit<RollupQuestion, 'by'>> & { by?: Partial<typeof none> },
): RollupQuestion => ({
  ...ABOUT_EVERYTHING,
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
    // A country's money per funder (the country view), grouped by the country or not.
    expect(rollupSetFor(about({ by: { funder: true, year: true }, country: 'ET' }))).toBe(
      'country+funder',
    );
    expect(rollupSetFor(about({ by: { funder: true, country: true } }))).toBe('country+funder');
  });

  it('leaves questions about one funder, recipient or programme, or grouped by them, live', () => {
    expect(rollupSetFor(about({ funder: 'f' }))).toBeNull();
    expect(rollupSetFor(about({ recipient: 'r' }))).toBeNull();
    expect(rollupSetFor(about({ programme: 'p' }))).toBeNull();
    expect(rollupSetFor(about({ by: { funder: true } }))).toBeNull();
    expect(rollupSetFor(about({ by: { funder: true, sector: true }, country: 'ET' }))).toBeNull();
    expect(rollupSetFor(about({ by: { recipient: true } }))).toBeNull();
    expect(rollupSetFor(about({ by: { programme: true, year: true } }))).toBeNull();
  });
});

describe('MoneyTotalsKeeper: sums again once edits pause', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const kept = { version: 'v', summed: true, cells: 1, ms: 1 };
  const keeper = () => {
    const calls: string[] = [];
    let finish: (() => void) | undefined;
    const k = new MoneyTotalsKeeper(
      () => {
        calls.push('sum');
        return new Promise((resolve) => {
          finish = () => resolve(kept);
        });
      },
      () => calls.push('report'),
      1000,
    );
    return { k, calls, finish: () => finish?.() };
  };

  it('sums a burst of changes once, after the last', async () => {
    const { k, calls, finish } = keeper();
    k.soon();
    await vi.advanceTimersByTimeAsync(600);
    k.soon();
    await vi.advanceTimersByTimeAsync(600);
    expect(calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(400);
    expect(calls).toEqual(['sum']);
    finish();
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toEqual(['sum', 'report']);
    await vi.advanceTimersByTimeAsync(5000);
    expect(calls).toEqual(['sum', 'report']);
  });

  it('sums once more for a change that came while it summed', async () => {
    const { k, calls, finish } = keeper();
    k.soon();
    await vi.advanceTimersByTimeAsync(1000);
    k.soon();
    k.soon();
    finish();
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toEqual(['sum', 'report', 'sum']);
  });

  it('sums now without a quiet period (start-up), still one at a time', async () => {
    const { k, calls, finish } = keeper();
    k.now();
    let settled = false;
    const settling = k.settled().then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toEqual(['sum']);
    k.now();
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toEqual(['sum']);
    expect(settled).toBe(false);
    finish();
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toEqual(['sum', 'report', 'sum']);
    // The second sum (asked for while the first ran) is under way: not settled until it ends.
    expect(settled).toBe(false);
    finish();
    await vi.advanceTimersByTimeAsync(20);
    await settling;
    expect(calls).toEqual(['sum', 'report', 'sum', 'report']);
  });

  it('on close, cancels what has not started and waits for what has', async () => {
    const { k, calls } = keeper();
    k.soon();
    await k.close();
    await vi.advanceTimersByTimeAsync(5000);
    expect(calls).toEqual([]);
    const other = keeper();
    other.k.soon();
    await vi.advanceTimersByTimeAsync(1000);
    let closed = false;
    const closing = other.k.close().then(() => (closed = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(closed).toBe(false);
    other.finish();
    await closing;
    expect(other.calls).toEqual(['sum', 'report']);
    other.k.soon();
    await vi.advanceTimersByTimeAsync(5000);
    expect(other.calls).toEqual(['sum', 'report']);
  });

  it('on close, waits for a sum under way at most a while (it may be waiting on a lock)', async () => {
    const { k, calls } = keeper();
    k.now();
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toEqual(['sum']);
    let closed = false;
    const closing = k.close(3000).then(() => (closed = true));
    await vi.advanceTimersByTimeAsync(2900);
    expect(closed).toBe(false);
    await vi.advanceTimersByTimeAsync(100);
    await closing;
    expect(calls).toEqual(['sum']);
  });

  it('asks again later when another process had claimed the sum, until it is kept', async () => {
    const results = [
      { version: 'v', summed: false, elsewhere: true, cells: 0, ms: 1 },
      { version: 'v', summed: false, cells: 5, ms: 1 },
    ];
    const calls: string[] = [];
    const k = new MoneyTotalsKeeper(
      () => {
        calls.push('sum');
        return Promise.resolve(results.shift() ?? kept);
      },
      (r) => calls.push(r.elsewhere ? 'elsewhere' : 'kept'),
      1000,
      30_000,
    );
    k.now();
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toEqual(['sum', 'elsewhere']);
    await k.settled();
    await vi.advanceTimersByTimeAsync(29_000);
    expect(calls).toEqual(['sum', 'elsewhere']);
    await vi.advanceTimersByTimeAsync(2000);
    expect(calls).toEqual(['sum', 'elsewhere', 'sum', 'kept']);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(calls).toHaveLength(4);
  });
});
