import { describe, expect, it } from 'vitest';
import type { MoneyFlowRow, RelationFlowRow } from '../../store/analyst-repository.js';
import { largest, moneyFlowLinks } from './flows.js';

const org = (key: string) => ({ key, name: `Org ${key}` });
const prog = (key: string) => ({ key, name: `Programme ${key}` });

function row(
  funder: string | null,
  programme: string,
  recipient: string | null,
  value: number,
  currency = 'EUR',
  fund: string | null = null,
): MoneyFlowRow {
  return {
    funder: funder ? org(funder) : null,
    fund: fund ? { key: fund, name: `Fund ${fund}` } : null,
    programme: prog(programme),
    recipient: recipient ? org(recipient) : null,
    currency,
    value,
    count: 1,
    types: ['DISBURSEMENT'],
    sources: [`src-${programme}`],
    apportioned: false,
  };
}

/** The money leaving each column, per currency. */
function leaving(links: ReturnType<typeof moneyFlowLinks>, column: string) {
  const out = new Map<string, number>();
  for (const l of links.filter((x) => x.from.column === column)) {
    out.set(l.currency ?? '', (out.get(l.currency ?? '') ?? 0) + (l.value ?? 0));
  }
  return Object.fromEntries(out);
}

describe('moneyFlowLinks', () => {
  it('sums funder → programme and programme → recipient per currency, never across currencies', () => {
    const links = moneyFlowLinks(
      [
        row('A', 'p1', 'X', 100),
        row('A', 'p1', 'Y', 50),
        row('B', 'p1', 'X', 25),
        row('A', 'p1', 'X', 7, 'USD'),
      ],
      [],
      12,
    );
    const eur = links.filter((l) => l.currency === 'EUR');
    expect(eur.map((l) => [l.from.id, l.to.id, l.value, l.count])).toEqual([
      ['FUNDER:A', 'PROGRAMME:p1', 150, 2],
      ['FUNDER:B', 'PROGRAMME:p1', 25, 1],
      ['PROGRAMME:p1', 'RECIPIENT:X', 125, 2],
      ['PROGRAMME:p1', 'RECIPIENT:Y', 50, 1],
    ]);
    expect(links.filter((l) => l.currency === 'USD').map((l) => l.value)).toEqual([7, 7]);
    expect(leaving(links, 'FUNDER')).toEqual({ EUR: 175, USD: 7 });
    expect(leaving(links, 'PROGRAMME')).toEqual({ EUR: 175, USD: 7 });
  });

  it('routes money through the fund its funder owns, and names what the source leaves out', () => {
    const links = moneyFlowLinks(
      [row('A', 'p1', null, 10, 'EUR', 'F'), row(null, 'p2', 'X', 5)],
      [],
      12,
    );
    expect(links.map((l) => `${l.from.name} → ${l.to.name}: ${l.value}`)).toEqual([
      'Org A → Fund F: 10',
      '(funder not stated) → Programme p2: 5',
      'Fund F → Programme p1: 10',
      'Programme p1 → (recipient not stated): 10',
      'Programme p2 → Org X: 5',
    ]);
  });

  it('keeps the largest nodes of a column and groups the rest, without losing money', () => {
    const rows = Array.from({ length: 20 }, (_, i) => row('A', `p${i}`, `R${i % 5}`, i + 1));
    const links = moneyFlowLinks(rows, [], 3);
    const programmes = new Set(
      links
        .flatMap((l) => [l.from, l.to])
        .filter((n) => n.column === 'PROGRAMME')
        .map((n) => n.id),
    );
    // p19, p18, p17 by value, then one group of the other 17.
    expect([...programmes].sort()).toEqual([
      'PROGRAMME:*',
      'PROGRAMME:p17',
      'PROGRAMME:p18',
      'PROGRAMME:p19',
    ]);
    const group = links.find((l) => l.to.id === 'PROGRAMME:*')?.to;
    expect(group).toMatchObject({ name: '17 other programmes', grouped: 17, key: null });
    const total = (20 * 21) / 2;
    expect(leaving(links, 'FUNDER')).toEqual({ EUR: total });
    expect(leaving(links, 'PROGRAMME')).toEqual({ EUR: total });
    expect(links.find((l) => l.to.id === 'PROGRAMME:*')?.count).toBe(17);
  });

  it('does not group a single node (a group of one hides a name for nothing)', () => {
    const links = moneyFlowLinks(
      [row('A', 'p1', 'X', 3), row('A', 'p2', 'X', 2), row('A', 'p3', 'X', 1)],
      [],
      2,
    );
    expect(links.some((l) => l.to.grouped != null || l.from.grouped != null)).toBe(false);
  });

  it('without amounts, draws each funding route and participant once, with null values', () => {
    const relations: RelationFlowRow[] = [
      {
        programme: prog('p1'),
        routes: [{ funder: org('M'), fund: { key: 'F', name: 'Fund F' }, sources: ['page'] }],
        participants: [
          { recipient: org('L'), sources: ['page'] },
          { recipient: org('P'), sources: ['page'] },
        ],
      },
      {
        programme: prog('p2'),
        routes: [{ funder: org('M'), fund: { key: 'F', name: 'Fund F' }, sources: ['page'] }],
        participants: [{ recipient: org('L'), sources: ['page'] }],
      },
    ];
    const links = moneyFlowLinks([], relations, 12);
    expect(links.map((l) => [l.from.id, l.to.id, l.value, l.currency, l.count])).toEqual([
      ['FUNDER:M', 'FUND:F', null, null, 1],
      ['FUND:F', 'PROGRAMME:p1', null, null, 1],
      ['FUND:F', 'PROGRAMME:p2', null, null, 1],
      ['PROGRAMME:p1', 'RECIPIENT:L', null, null, 1],
      ['PROGRAMME:p1', 'RECIPIENT:P', null, null, 1],
      ['PROGRAMME:p2', 'RECIPIENT:L', null, null, 1],
    ]);
  });

  it('uses money rows over relations, and answers nothing for nothing', () => {
    expect(moneyFlowLinks([], [], 12)).toEqual([]);
    const links = moneyFlowLinks(
      [row('A', 'p1', 'X', 1)],
      [{ programme: prog('p9'), routes: [], participants: [] }],
      12,
    );
    expect(links.every((l) => l.value !== null)).toBe(true);
  });

  it('breaks ties on money by name, then key, when a column is cut', () => {
    // Four recipients of 10 each: B and A (named "Org B", "Org A") and two of the same name.
    const rows = [
      row('F', 'p1', 'B', 10),
      row('F', 'p1', 'A', 10),
      { ...row('F', 'p1', 'D', 10), recipient: { key: 'D', name: 'Same' } },
      { ...row('F', 'p1', 'C', 10), recipient: { key: 'C', name: 'Same' } },
      row('F', 'p1', 'E', 5),
    ];
    const named = (top: number) =>
      moneyFlowLinks(rows, [], top)
        .filter((l) => l.to.column === 'RECIPIENT' && l.to.key !== null)
        .map((l) => l.to.key);
    expect(named(1)).toEqual(['A']);
    expect(named(2)).toEqual(['A', 'B']);
    expect(named(3)).toEqual(['A', 'B', 'C']);
  });
});

describe('largest', () => {
  it('gives the first n in order and the rest, as sorting them all would', () => {
    let seed = 11;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % 7;
    const order = (a: [number, number], b: [number, number]) => b[0] - a[0] || a[1] - b[1];
    for (let trial = 0; trial < 50; trial++) {
      const items = Array.from({ length: trial }, (_, i): [number, number] => [random(), i]);
      for (const n of [1, 3, 12]) {
        const { first, rest } = largest(items, n, order);
        const sorted = [...items].sort(order);
        expect(first).toEqual(sorted.slice(0, n));
        expect([...rest].sort(order)).toEqual(sorted.slice(n));
      }
    }
  });
});
