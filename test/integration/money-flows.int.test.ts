/**
 * Money flows (moneyFlows, the Sankey's saved question) on a real publisher's file: what leaves
 * the funders of a currency is what moneyTotals gives for the same selection — for funders, a
 * country, a recipient, a programme, several of them at once and a year range — grouping moves
 * money between nodes, never out; and on the page, which gives no amounts, the funding
 * relations without values.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSavedQueries } from '../../src/api/saved-queries.js';
import { projectRoot } from '../../src/config/index.js';
import { importIati } from '../../src/ingest/iati/import-iati.js';
import { database } from '../support/neo4j.js';
import { gql, startTestServer, type TestServer } from '../support/server.js';

const REAL = path.resolve(projectRoot, '../shared/iati/real/dportal-page32-tdh-cordaid.xml');
const saved = new Map(loadSavedQueries().map((q) => [q.name, q]));

interface Flow {
  from: { id: string; column: string; key: string | null; name: string; grouped: number | null };
  to: { id: string; column: string; key: string | null; name: string; grouped: number | null };
  currency: string | null;
  value: number | null;
  count: number;
  sources: string[];
}
interface Total {
  currency: string;
  value: number;
  count: number;
  year?: number | null;
  funder?: { key: string } | null;
  recipient?: { key: string } | null;
  programme?: { key: string } | null;
  country?: { code: string } | null;
}

/** Sums per currency, rounded to the cent (floating-point sums in two orders). */
function perCurrency(rows: { currency: string | null; value: number | null }[]) {
  const out: Record<string, number> = {};
  for (const r of rows) out[r.currency ?? ''] = (out[r.currency ?? ''] ?? 0) + (r.value ?? 0);
  return Object.fromEntries(Object.entries(out).map(([c, v]) => [c, Math.round(v * 100) / 100]));
}
const leaving = (flows: Flow[], column: string) => flows.filter((f) => f.from.column === column);

describe('money flows', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    await importIati(server.driver, database(), [REAL]);
  }, 180_000);
  afterAll(() => server.close());

  async function flows(variables: Record<string, unknown>): Promise<Flow[]> {
    const q = saved.get('money-flows');
    if (!q) throw new Error('no saved question money-flows');
    const { status, body } = await gql<{ moneyFlows: Flow[] }>(server, q.document, variables);
    expect(body.errors).toBeUndefined();
    expect(status).toBe(200);
    return body.data?.moneyFlows ?? [];
  }
  async function totals(args: string): Promise<Total[]> {
    const { body } = await gql<{ moneyTotals: Total[] }>(
      server,
      `query { moneyTotals(${args}, types: [DISBURSEMENT, EXPENDITURE], limit: 100) {
        currency value count year funder { key } recipient { key } programme { key }
        country { code } } }`,
    );
    expect(body.errors).toBeUndefined();
    return body.data?.moneyTotals ?? [];
  }

  it('a funder: what leaves its column, and every later column, is moneyTotals for it, per currency', async () => {
    const funders = (await totals('groupBy: [FUNDER]'))
      .filter((r) => r.funder)
      .sort((a, b) => b.count - a.count);
    const chosen = [...new Set(funders.map((r) => r.funder?.key ?? ''))].slice(0, 3);
    expect(chosen.length).toBeGreaterThan(1);
    for (const funder of chosen) {
      const expected = perCurrency(await totals(`funder: ${JSON.stringify(funder)}`));
      const links = await flows({ funder });
      expect(Object.keys(expected).length).toBeGreaterThan(0);
      expect(perCurrency(leaving(links, 'FUNDER'))).toEqual(expected);
      expect(perCurrency(leaving(links, 'PROGRAMME'))).toEqual(expected);
      // The funder asked about is the only funder, under its own name.
      const funderNodes = new Set(leaving(links, 'FUNDER').map((f) => f.from.key));
      expect([...funderNodes]).toEqual([funder]);
      expect(links.every((f) => f.value !== null && f.value > 0 && f.sources.length > 0)).toBe(
        true,
      );
    }
  });

  it('a country: the programmes’ shares there add up to moneyTotals for the country', async () => {
    const countries = (await totals('groupBy: [COUNTRY]'))
      .filter((r) => r.country)
      .sort((a, b) => b.count - a.count);
    const code = countries[0]?.country?.code;
    expect(code).toBeDefined();
    const expected = perCurrency(await totals(`country: "${code}"`));
    const links = await flows({ country: code });
    expect(perCurrency(leaving(links, 'FUNDER'))).toEqual(expected);
    expect(perCurrency(leaving(links, 'PROGRAMME'))).toEqual(expected);
  });

  it('a recipient, a programme, or several at once: what leaves the programmes is moneyTotals for the same selection', async () => {
    // The funder, recipient and programme of the most transactions, with a country.
    const [top] = (await totals('groupBy: [FUNDER, RECIPIENT, PROGRAMME, COUNTRY]'))
      .filter((r) => r.funder && r.recipient && r.programme && r.country)
      .sort((a, b) => b.count - a.count);
    const funder = top?.funder?.key ?? '';
    const recipient = top?.recipient?.key ?? '';
    const programme = top?.programme?.key ?? '';
    const country = top?.country?.code ?? '';
    expect([funder, recipient, programme, country]).not.toContain('');
    const selections: Record<string, string>[] = [
      { recipient },
      { programme },
      { funder, recipient },
      { recipient, programme },
      { recipient, country },
    ];
    for (const selection of selections) {
      const args = Object.entries(selection)
        .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
        .join(', ');
      const expected = perCurrency(await totals(args));
      expect(Object.keys(expected).length, args).toBeGreaterThan(0);
      expect(perCurrency(leaving(await flows(selection), 'PROGRAMME')), args).toEqual(expected);
    }
  });

  it('a year range: the years of moneyTotals inside it, and nothing outside', async () => {
    const byFunderYear = await totals('groupBy: [FUNDER, YEAR]');
    const yearsOf = (key: string) =>
      [
        ...new Set(byFunderYear.filter((r) => r.funder?.key === key).map((r) => r.year ?? 0)),
      ].sort();
    // The funder with money in the most years.
    const funder =
      [...new Set(byFunderYear.map((r) => r.funder?.key ?? ''))]
        .filter((k) => k !== '')
        .sort((a, b) => yearsOf(b).length - yearsOf(a).length)[0] ?? '';
    const years = yearsOf(funder);
    expect(years.length).toBeGreaterThan(2);
    const [fromYear, toYear] = [years[1] ?? 0, years[years.length - 2] ?? 0];
    const expected = perCurrency(
      byFunderYear.filter(
        (r) => r.funder?.key === funder && (r.year ?? 0) >= fromYear && (r.year ?? 0) <= toYear,
      ),
    );
    const links = await flows({ funder, fromYear, toYear });
    expect(perCurrency(leaving(links, 'FUNDER'))).toEqual(expected);
    expect(perCurrency(leaving(links, 'FUNDER'))).not.toEqual(
      perCurrency(leaving(await flows({ funder }), 'FUNDER')),
    );
  });

  it('groups a column’s smaller nodes into one, without losing money', async () => {
    const [top] = (await totals('groupBy: [FUNDER]')).sort((a, b) => b.count - a.count);
    const funder = top?.funder?.key ?? '';
    const all = await flows({ funder, top: 50 });
    const few = await flows({ funder, top: 2 });
    const programmes = (links: Flow[]) =>
      new Set(
        links
          .flatMap((f) => [f.from, f.to])
          .filter((n) => n.column === 'PROGRAMME')
          .map((n) => n.id),
      );
    expect(programmes(all).size).toBeGreaterThan(3);
    expect(programmes(few).size).toBe(3);
    const group = few.flatMap((f) => [f.from, f.to]).find((n) => n.id === 'PROGRAMME:*');
    expect(group?.grouped).toBe(programmes(all).size - 2);
    expect(group?.name).toBe(`${programmes(all).size - 2} other programmes`);
    expect(perCurrency(leaving(few, 'FUNDER'))).toEqual(perCurrency(leaving(all, 'FUNDER')));
    expect(perCurrency(leaving(few, 'PROGRAMME'))).toEqual(perCurrency(leaving(all, 'PROGRAMME')));
  });

  it('without amounts (the page): the funding relations and participants, values null', async () => {
    // A funder of the page that no transaction of the IATI file names.
    const candidates = [
      'Europese Unie',
      'Ministerie van Justitie en Veiligheid',
      'Ministerie van Sociale Zaken en Werkgelegenheid',
      'Ministerie van Volksgezondheid, Welzijn en Sport',
    ];
    let funder = '';
    for (const name of candidates) {
      const { body } = await gql<{ moneyTotals: unknown[] }>(
        server,
        `{ moneyTotals(funder: ${JSON.stringify(name)}) { count } }`,
      );
      if (body.data?.moneyTotals.length === 0) {
        funder = name;
        break;
      }
    }
    expect(funder).not.toBe('');
    const links = await flows({ funder, top: 50 });
    expect(links.length).toBeGreaterThan(0);
    expect(links.every((f) => f.value === null && f.currency === null)).toBe(true);
    const { body } = await gql<{ portfolio: { programme: { key: string } }[] }>(
      server,
      `{ portfolio(funder: ${JSON.stringify(funder)}) { programme { key } } }`,
    );
    const portfolio = new Set(body.data?.portfolio.map((p) => p.programme.key));
    const programmes = new Set(
      links
        .flatMap((f) => [f.from, f.to])
        .filter((n) => n.column === 'PROGRAMME')
        .map((n) => n.key),
    );
    expect(portfolio.size).toBeGreaterThan(0);
    expect(programmes).toEqual(portfolio);
    // Each programme's participants are its recipients.
    for (const key of portfolio) {
      const { body: p } = await gql<{ programmes: { participants: { key: string }[] }[] }>(
        server,
        `{ programmes(where: { key: { eq: ${JSON.stringify(key)} } }) { participants { key } } }`,
      );
      const participants = new Set(p.data?.programmes[0]?.participants.map((o) => o.key));
      const recipients = new Set(
        links.filter((f) => f.from.key === key && f.to.column === 'RECIPIENT').map((f) => f.to.key),
      );
      expect(recipients).toEqual(participants);
    }
  });

  it('money of other years or types is an empty answer, not relations without amounts', async () => {
    const [top] = (await totals('groupBy: [FUNDER]')).sort((a, b) => b.count - a.count);
    const funder = top?.funder?.key ?? '';
    expect(await flows({ funder, fromYear: 1900, toYear: 1901 })).toEqual([]);
    expect(await flows({ funder, types: ['SALE_OF_EQUITY'] })).toEqual([]);
    expect((await flows({ funder })).length).toBeGreaterThan(0);
  });

  it('refuses a flow about nothing, a bad top, a reversed year range and an unknown funder', async () => {
    const q = saved.get('money-flows')?.document ?? '';
    const cases: [Record<string, unknown>, RegExp][] = [
      [{}, /at least one/],
      [{ country: 'ET', top: 0 }, /top must be between 1 and 50/],
      [{ country: 'ET', top: 51 }, /top must be between 1 and 50/],
      [
        { country: 'ET', fromYear: 2020, toYear: 2019 },
        /fromYear \(2020\) is after toYear \(2019\)/,
      ],
      [{ funder: 'Nobody at all whatsoever' }, /Nobody at all whatsoever/],
    ];
    for (const [variables, message] of cases) {
      const { status, body } = await gql(server, q, variables);
      expect(status).toBe(400);
      expect(body.errors?.[0]?.message).toMatch(message);
      expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });
});
