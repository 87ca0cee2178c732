/**
 * moneyTotals is one Cypher statement written per question shape (src/store/analyst/money.ts:
 * which dimensions it groups by, which filters it gives). Every shape is checked here against
 * the rules computed in JavaScript from the graph's raw facts, on real publishers' files (many
 * publishers, countries with and without percentages, sectors on transactions and on
 * activities, in two vocabularies): every groupBy of the six dimensions, with no filter and
 * with each filter, through HTTP GraphQL, paged to the end.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/config/index.js';
import { importIati } from '../../src/ingest/iati/import-iati.js';
import { database } from '../support/neo4j.js';
import { gql, startTestServer, type TestServer } from '../support/server.js';

const REAL = path.resolve(projectRoot, '../shared/iati/real');
const FILES = [
  path.join(REAL, 'datastore-ebola-mixed-versions.xml'),
  path.join(REAL, 'dportal-page32-tdh-cordaid.xml'),
  path.join(projectRoot, 'test/fixtures/iati/portfolio.xml'),
];

const DIMENSIONS = ['FUNDER', 'RECIPIENT', 'COUNTRY', 'YEAR', 'PROGRAMME', 'SECTOR'] as const;
type Dimension = (typeof DIMENSIONS)[number];

interface Fact {
  programme: string;
  transaction: string;
  type: string;
  currency: string;
  value: number;
  year: number | null;
  funders: string[];
  recipients: string[];
  countries: { code: string; pct: number | null }[];
  own: { key: string; vocabulary: string; pct: number | null }[];
  inherited: { key: string; vocabulary: string; pct: number | null }[];
}

interface Filters {
  types?: string[];
  funder?: string;
  recipient?: string;
  country?: string;
  year?: number;
  programme?: string;
}

interface Row {
  key: string;
  value: number;
  count: number;
  apportioned: boolean;
}

/** Shares of a whole: the percentages given, else equal parts. */
const shares = <T extends { pct: number | null }>(xs: T[]) =>
  xs.map((x) => ({ x, share: (x.pct ?? 100 / xs.length) / 100 }));

/** moneyTotals as README ("Money") states its rules, from the raw facts. */
function expected(facts: Fact[], by: Set<Dimension>, f: Filters): Row[] {
  const groups = new Map<string, { value: number; ts: Set<string>; max: number }>();
  for (const t of facts) {
    if (f.types && !f.types.includes(t.type)) continue;
    if (f.year !== undefined && t.year !== f.year) continue;
    if (f.programme !== undefined && t.programme !== f.programme) continue;
    const funders = f.funder !== undefined ? t.funders.filter((k) => k === f.funder) : t.funders;
    const recipients =
      f.recipient !== undefined ? t.recipients.filter((k) => k === f.recipient) : t.recipients;
    if (f.funder !== undefined && funders.length === 0) continue;
    if (f.recipient !== undefined && recipients.length === 0) continue;
    const places =
      (by.has('COUNTRY') || f.country !== undefined) && t.countries.length > 0
        ? shares(t.countries).map(({ x, share }) => ({ code: x.code, share }))
        : [{ code: null, share: 1 }];
    let found = t.own.length > 0 ? t.own : t.inherited;
    if (found.some((s) => s.vocabulary === '1')) found = found.filter((s) => s.vocabulary === '1');
    const sectors =
      by.has('SECTOR') && found.length > 0
        ? shares(found).map(({ x, share }) => ({ key: x.key, share }))
        : [{ key: null, share: 1 }];
    for (const funder of by.has('FUNDER') ? (funders.length > 0 ? funders : [null]) : [null])
      for (const recipient of by.has('RECIPIENT')
        ? recipients.length > 0
          ? recipients
          : [null]
        : [null])
        for (const place of places) {
          if (f.country !== undefined && place.code !== f.country) continue;
          for (const sector of sectors) {
            const key = JSON.stringify([
              funder,
              recipient,
              by.has('COUNTRY') ? place.code : null,
              by.has('YEAR') ? t.year : null,
              by.has('PROGRAMME') ? t.programme : null,
              sector.key,
              t.type,
              t.currency,
            ]);
            const g = groups.get(key) ?? { value: 0, ts: new Set(), max: 0 };
            g.value += t.value * place.share * sector.share;
            g.ts.add(t.transaction);
            g.max = Math.max(g.max, place.share * sector.share);
            groups.set(key, g);
          }
        }
  }
  return [...groups].map(([key, g]) => ({
    key,
    value: g.value,
    count: g.ts.size,
    apportioned: g.max < 1,
  }));
}

const byKey = (a: Row, b: Row) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

describe('moneyTotals: every shape of question against the rules', () => {
  let server: TestServer;
  let facts: Fact[];
  let recipientNames: Map<string, string>;
  beforeAll(async () => {
    server = await startTestServer();
    await importIati(server.driver, database(), FILES);
    const { records } = await server.driver.executeQuery(
      `MATCH (p:Programme)-[:HAS_TRANSACTION]->(t:Transaction)
       RETURN { programme: p.key, transaction: t.key, type: t.type, currency: t.currency,
         value: t.value, year: t.year,
         funders: [(t)-[:PROVIDED_BY]->(o:Organisation) | o.key],
         recipients: [(t)-[:RECEIVED_BY]->(o:Organisation) | o.key],
         countries: [(p)-[r:RUNS_IN]->(c:Country) | { code: c.code, pct: r.percentage }],
         own: [(t)-[r:IN_SECTOR]->(s:Sector) | { key: s.key, vocabulary: s.vocabulary, pct: r.percentage }],
         inherited: [(p)-[r:IN_SECTOR]->(s:Sector) | { key: s.key, vocabulary: s.vocabulary, pct: r.percentage }]
       } AS fact`,
      {},
      { database: database() },
    );
    const named = await server.driver.executeQuery(
      'MATCH (:Transaction)-[:RECEIVED_BY]->(o:Organisation) RETURN DISTINCT o.key AS key, o.name AS name',
      {},
      { database: database() },
    );
    recipientNames = new Map(
      named.records.map((r) => [String(r.get('key')), String(r.get('name'))]),
    );
    // Numbers as JavaScript numbers (Neo4j integers come as objects).
    const num = (x: unknown) => (x === null ? null : Number(x));
    const pcts = <T extends { pct: unknown }>(xs: T[]) =>
      xs.map((x) => ({ ...x, pct: num(x.pct) }));
    facts = records.map((r) => {
      const fact = r.get('fact') as Fact;
      return {
        ...fact,
        value: Number(fact.value),
        year: num(fact.year),
        countries: pcts(fact.countries),
        own: pcts(fact.own),
        inherited: pcts(fact.inherited),
      };
    });
  }, 240_000);
  afterAll(() => server.close());

  /** The answer through HTTP GraphQL, every page of it. */
  async function answer(by: Dimension[], f: Filters): Promise<Row[]> {
    const rows: Row[] = [];
    for (let offset = 0; ; offset += 100) {
      const { status, body } = await gql<{ moneyTotals: Record<string, unknown>[] }>(
        server,
        `query ($groupBy: [MoneyDimension!]!, $types: [TransactionType!], $funder: String,
           $recipient: String, $country: String, $year: Int, $programme: String, $offset: Int) {
          moneyTotals(groupBy: $groupBy, types: $types, funder: $funder, recipient: $recipient,
            country: $country, year: $year, programme: $programme, limit: 100, offset: $offset) {
            funder { key } recipient { key } country { code } year programme { key }
            sector { key } type currency value count apportioned
          }
        }`,
        { groupBy: by, ...f, offset },
      );
      expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
      expect(status).toBe(200);
      const page = body.data!.moneyTotals;
      for (const r of page) {
        const key = (x: unknown) => (x as { key?: string } | null)?.key ?? null;
        rows.push({
          key: JSON.stringify([
            key(r.funder),
            key(r.recipient),
            (r.country as { code: string } | null)?.code ?? null,
            r.year ?? null,
            key(r.programme),
            key(r.sector),
            r.type,
            r.currency,
          ]),
          value: r.value as number,
          count: r.count as number,
          apportioned: r.apportioned as boolean,
        });
      }
      if (page.length < 100) return rows;
    }
  }

  async function check(by: Dimension[], f: Filters) {
    const want = expected(facts, new Set(by), f).sort(byKey);
    const got = (await answer(by, f)).sort(byKey);
    const only = (a: Row[], b: Row[]) => {
      const keys = new Set(b.map((r) => r.key));
      return a.filter((r) => !keys.has(r.key)).map((r) => r.key);
    };
    expect({ by, f, missing: only(want, got), extra: only(got, want) }).toEqual({
      by,
      f,
      missing: [],
      extra: [],
    });
    expect(got.map((r) => r.key)).toEqual(want.map((r) => r.key));
    got.forEach((r, i) => {
      const w = want[i]!;
      expect(r.value, r.key).toBeCloseTo(w.value, 4);
      expect({ count: r.count, apportioned: r.apportioned }, r.key).toEqual({
        count: w.count,
        apportioned: w.apportioned,
      });
    });
    return want.length;
  }

  const everyGroupBy = Array.from({ length: 1 << DIMENSIONS.length }, (_, mask) =>
    DIMENSIONS.filter((_d, i) => mask & (1 << i)),
  );

  it('the data is varied enough to tell the rules apart', () => {
    const has = (what: string, test: (t: Fact) => boolean) =>
      expect(facts.some(test), what).toBe(true);
    expect(facts.length).toBeGreaterThan(500);
    has('sectors on a transaction', (t) => t.own.length > 0);
    has('several sectors from the activity', (t) => t.own.length === 0 && t.inherited.length > 1);
    has(
      '3-digit sectors alone',
      (t) => t.inherited.length > 0 && t.inherited.every((s) => s.vocabulary === '2'),
    );
    has(
      'countries with percentages',
      (t) => t.countries.length > 1 && t.countries[0]!.pct !== null,
    );
    has(
      'countries without percentages',
      (t) => t.countries.length > 1 && t.countries[0]!.pct === null,
    );
    has('no country', (t) => t.countries.length === 0);
    has('no receiver', (t) => t.recipients.length === 0);
    has('receivers of one name under several keys', () => {
      const names = new Map<string, Set<string>>();
      for (const [key, name] of recipientNames)
        names.set(name, (names.get(name) ?? new Set()).add(key));
      return [...names.values()].some((keys) => keys.size > 1);
    });
  });

  it('every groupBy, about everything and about some types', async () => {
    let rows = 0;
    for (const by of everyGroupBy) {
      rows += await check(by, {});
      rows += await check(by, { types: ['DISBURSEMENT', 'EXPENDITURE'] });
    }
    expect(rows).toBeGreaterThan(1000);
  }, 240_000);

  it('every groupBy, about one funder, recipient, country, year or programme, and several', async () => {
    const most = <T>(xs: T[]) => {
      const n = new Map<T, number>();
      for (const x of xs) n.set(x, (n.get(x) ?? 0) + 1);
      return [...n].sort((a, b) => b[1] - a[1])[0]![0];
    };
    const funder = most(facts.flatMap((t) => t.funders));
    const country = most(facts.flatMap((t) => t.countries.map((c) => c.code)));
    const of = (key: string) => facts.filter((t) => t.funders.includes(key));
    const filters: Filters[] = [
      { funder },
      { recipient: most(facts.flatMap((t) => t.recipients)) },
      { country },
      { year: most(facts.map((t) => t.year).filter((y): y is number => y !== null)) },
      { programme: most(facts.map((t) => t.programme)) },
      {
        funder,
        country: most(of(funder).flatMap((t) => t.countries.map((c) => c.code))),
        types: ['EXPENDITURE'],
      },
      // Two anchors at once: the statement starts from the first and matches the second.
      { funder, recipient: most(of(funder).flatMap((t) => t.recipients)) },
      {
        recipient: most(of(funder).flatMap((t) => t.recipients)),
        programme: most(of(funder).map((t) => t.programme)),
        year: most(
          of(funder)
            .map((t) => t.year)
            .filter((y): y is number => y !== null),
        ),
      },
    ];
    for (const f of filters) {
      let rows = 0;
      for (const by of everyGroupBy) rows += await check(by, f);
      expect(rows, JSON.stringify(f)).toBeGreaterThan(0);
    }
  }, 480_000);
});
