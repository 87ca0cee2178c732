/**
 * Money totals kept ahead of time (src/store/analyst/money-rollup.ts): after an import of real
 * publishers' files, every question about all the money that the kept totals can answer gets
 * the live statement's answer from them; they are used while they are the graph's version and
 * never after a write; two processes keeping them at once sum them once.
 */
import path from 'node:path';
import { SignJWT } from 'jose';
import neo4j from 'neo4j-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/config/index.js';
import { importIati } from '../../src/ingest/iati/import-iati.js';
import { MONEY_ROLLUP_LABEL } from '../../src/model/index.js';
import { ABOUT_EVERYTHING, groupedBy, moneyTotalsCypher } from '../../src/store/analyst/money.js';
import {
  keepMoneyTotals,
  MONEY_ROLLUP_SETTING,
  moneyRollupCypher,
  ROLLUP_SETS,
  rollupSetFor,
} from '../../src/store/analyst/money-rollup.js';
import { bumpGraphVersion, GRAPH_VERSION_SETTING } from '../../src/store/graph-version.js';
import { database } from '../support/neo4j.js';
import { gql, startTestServer, type TestServer } from '../support/server.js';

const REAL = path.resolve(projectRoot, '../shared/iati/real');
const FILES = [
  path.join(REAL, 'datastore-ebola-mixed-versions.xml'),
  path.join(REAL, 'dportal-page32-tdh-cordaid.xml'),
];

const SECRET = 'money-rollup-test-secret-of-32-characters';

interface Row {
  country: { code: string } | null;
  sector: { key: string } | null;
  year: number | null;
  type: string;
  currency: string;
  value: number;
  count: number;
  apportioned: boolean;
}

/** JSON with every map's keys in order (Neo4j's maps keep none). */
const canonical = (x: unknown): string =>
  JSON.stringify(x, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );

describe('money totals kept ahead of time', () => {
  let server: TestServer;
  const run = async (cypher: string, params: Record<string, unknown> = {}) =>
    (await server.driver.executeQuery(cypher, params, { database: database() })).records;
  const versions = async () => {
    const [r] = await run(
      `MATCH (v:Setting {name: $graph}) OPTIONAL MATCH (k:Setting {name: $kept})
       RETURN v.value AS graph, k.generation AS generation, k.cells AS cells`,
      { graph: GRAPH_VERSION_SETTING, kept: MONEY_ROLLUP_SETTING },
    );
    const generation = r?.get('generation') as string | null;
    return {
      graph: r?.get('graph') as string,
      // The graph version the cells read were summed for: the generation's first part.
      kept: generation?.split('/')[0] ?? null,
      generation,
      cells: Number(r?.get('cells')),
    };
  };
  /** The whole graph's total per currency, through HTTP GraphQL. */
  const totals = async () => {
    const { status, body } = await gql<{ moneyTotals: Row[] }>(
      server,
      '{ moneyTotals(groupBy: []) { type currency value count } }',
    );
    expect(body.errors).toBeUndefined();
    expect(status).toBe(200);
    return body.data!.moneyTotals;
  };

  /** The same rows; values summed in another order differ in the last digits only. */
  const expectSame = (got: Row[], want: Row[]) => {
    const strip = (r: Row) => canonical({ ...r, value: null });
    expect(got.map(strip)).toEqual(want.map(strip));
    got.forEach((r, i) => expect(r.value).toBeCloseTo(want[i]!.value, 6));
  };

  beforeAll(async () => {
    // Without the response cache: the answers here must come from the graph each time.
    server = await startTestServer({
      overrides: { RESPONSE_CACHE_MB: '0', AUTH_JWT_SECRET: SECRET },
    });
    await importIati(server.driver, database(), FILES);
  }, 240_000);
  afterAll(() => server.close());

  it('an import leaves them summed for the graph as it is, in every set', async () => {
    const { graph, kept, generation } = await versions();
    expect(kept).toBe(graph);
    expect(generation).toMatch(new RegExp(`^${graph}/`));
    const sets = await run(
      `MATCH (c:${MONEY_ROLLUP_LABEL} {version: $generation}) RETURN c.rollup AS rollup, count(*) AS n`,
      { generation },
    );
    expect(new Set(sets.map((r) => r.get('rollup') as string))).toEqual(new Set(ROLLUP_SETS));
  });

  // Every question the kept totals answer: groupBy among country, year and sector, about
  // everything, some types, one country, one year, or all three; and by funder with the country
  // (and the year), or with a country filter.
  const groupBys = Array.from({ length: 8 }, (_, mask) =>
    groupedBy(
      ...(['country', 'year', 'sector'] as const).filter((_d, i) => (mask & (1 << i)) !== 0),
    ),
  );
  const byFunder = [
    groupedBy('funder', 'country'),
    groupedBy('funder', 'country', 'year'),
    groupedBy('funder'),
    groupedBy('funder', 'year'),
  ];

  it('they answer as the live statement does, question by question', async () => {
    const [busiest] = await run(
      `MATCH (c:Country)<-[:RUNS_IN]-(:Programme)-[:HAS_TRANSACTION]->(t:Transaction)
       RETURN c.code AS country, t.year AS year, count(*) AS n ORDER BY n DESC LIMIT 1`,
    );
    const country = busiest?.get('country') as string;
    const year = Number(busiest?.get('year'));
    const filters = [
      {},
      { types: ['DISBURSEMENT', 'EXPENDITURE'] },
      { country },
      { year },
      { country, year, types: ['EXPENDITURE'] },
    ];
    let compared = 0;
    const asked = [
      ...groupBys.flatMap((by) => filters.map((f) => ({ by, f }))),
      // By funder: with a country grouped or filtered (else it is answered live).
      ...byFunder.flatMap((by) =>
        filters.filter((f) => by.country || 'country' in f).map((f) => ({ by, f })),
      ),
    ];
    for (const { by, f } of asked) {
      const q = {
        by,
        ...ABOUT_EVERYTHING,
        ...f,
        offset: neo4j.int(0),
        limit: neo4j.int(100_000),
      };
      const rollup = rollupSetFor(q);
      expect(rollup).not.toBeNull();
      const [kept] = await run(moneyRollupCypher(q), { ...q, rollup });
      expect(kept?.get('fresh')).toBe(true);
      const fromCells = kept?.get('rows') as Row[];
      const live = (await run(moneyTotalsCypher(q), q)).map((r) => r.get('row') as Row);
      expect(fromCells.length, JSON.stringify({ by, f })).toBe(live.length);
      expectSame(fromCells, live);
      compared += live.length;
    }
    expect(compared).toBeGreaterThan(500);
  });

  it("read one country's cells by the index on set, generation and country, not the whole set", async () => {
    const [busiest] = await run(
      `MATCH (c:Country)<-[:RUNS_IN]-(:Programme)-[:HAS_TRANSACTION]->(t:Transaction)
       RETURN c.code AS country, count(*) AS n ORDER BY n DESC LIMIT 1`,
    );
    const q = {
      by: groupedBy('funder', 'year'),
      ...ABOUT_EVERYTHING,
      country: busiest?.get('country') as string,
      offset: neo4j.int(0),
      limit: neo4j.int(100),
    };
    const rollup = rollupSetFor(q);
    expect(rollup).toBe('country+funder');
    const session = server.driver.session({ database: database(), defaultAccessMode: 'READ' });
    try {
      const profiled = await session.run(`PROFILE ${moneyRollupCypher(q)}`, { ...q, rollup });
      expect(profiled.records[0]?.get('fresh')).toBe(true);
      expect((profiled.records[0]?.get('rows') as Row[]).length).toBeGreaterThan(0);
      interface Op {
        operatorType: string;
        arguments: { Details?: string };
        children: Op[];
      }
      const ops = (op: Op): Op[] => [op, ...op.children.flatMap(ops)];
      const cells = ops(profiled.summary.profile as unknown as Op).filter((op) =>
        (op.arguments.Details ?? '').includes(`cell:${MONEY_ROLLUP_LABEL}`),
      );
      expect(cells.map((op) => op.operatorType.split('@')[0])).toEqual(['NodeIndexSeek']);
      expect(cells[0]?.arguments.Details).toMatch(/\(rollup, version, country\)/);
    } finally {
      await session.close();
    }
  });

  it('are used while they are the graph version, and never after a write moves it', async () => {
    const before = await totals();
    const [first] = before;
    expect(first?.count).toBeGreaterThan(0);
    // Changed by hand, without moving the version: the API answers from them, so it shows.
    const { generation } = await versions();
    await run(
      `MATCH (c:${MONEY_ROLLUP_LABEL} {rollup: 'none', version: $generation, type: $type, currency: $currency})
       SET c.value = c.value + 1000000.0`,
      { generation, type: first!.type, currency: first!.currency },
    );
    const tampered = await totals();
    expect(tampered[0]!.value).toBeCloseTo(first!.value + 1_000_000, 2);
    // A write moves the version: the same question is answered live, from the transactions.
    await bumpGraphVersion(server.driver, database());
    expectSame(await totals(), before);
    // Summed again, for the new version: the same answer, from the new cells.
    const again = await keepMoneyTotals(server.driver, database());
    expect(again.summed).toBe(true);
    expectSame(await totals(), before);
  });

  it('two processes keeping them at once sum them once; two generations are kept', async () => {
    const { cells } = await keepMoneyTotals(server.driver, database());
    expect(cells).toBeGreaterThan(0);
    for (let i = 0; i < 2; i++) {
      await bumpGraphVersion(server.driver, database());
      const both = await Promise.all([
        keepMoneyTotals(server.driver, database()),
        keepMoneyTotals(server.driver, database()),
      ]);
      expect(both.map((k) => k.summed).sort()).toEqual([false, true]);
      expect(both.find((k) => !k.summed)?.elsewhere).toBe(true);
      const { graph, kept, generation } = await versions();
      expect(kept).toBe(graph);
      const [n] = await run(
        `MATCH (c:${MONEY_ROLLUP_LABEL} {version: $generation}) RETURN count(c) AS n`,
        { generation },
      );
      expect(Number(n?.get('n'))).toBe(cells);
    }
    // The set just replaced stays for reads that began before; older ones are gone.
    const [all] = await run(
      `MATCH (c:${MONEY_ROLLUP_LABEL}) RETURN count(c) AS n, count(DISTINCT c.version) AS versions`,
    );
    expect(Number(all?.get('versions'))).toBe(2);
    expect(Number(all?.get('n'))).toBe(2 * cells);
  });

  it('a sum cut off before its switch is never read, and the next sum clears what it left', async () => {
    const before = await totals();
    await keepMoneyTotals(server.driver, database());
    const kept = await versions();
    // What a process stopped while summing leaves: part of a set, under its own generation,
    // and its claim, renewed 4 minutes ago: it stands (CLAIM_MINUTES is 5) …
    await bumpGraphVersion(server.driver, database());
    const { graph } = await versions();
    const claimed = (minutes: number) =>
      run(
        `MATCH (r:Setting {name: $setting})
         SET r.summing = $dead, r.summingSince = datetime() - duration({minutes: $minutes})`,
        { dead: `${graph}/dead`, setting: MONEY_ROLLUP_SETTING, minutes },
      );
    await run(
      `CREATE (:${MONEY_ROLLUP_LABEL} {rollup: 'none', version: $dead, type: 'DISBURSEMENT',
               currency: 'EUR', year: 2020, value: 1.0e12, count: 1, maxShare: 1.0})`,
      { dead: `${graph}/dead` },
    );
    await claimed(4);
    expectSame(await totals(), before);
    const waiting = await keepMoneyTotals(server.driver, database());
    expect(waiting).toMatchObject({ summed: false, elsewhere: true });
    // … and 6 minutes ago: taken over.
    await claimed(6);
    // In batches of 7 cells a transaction: the same cells as in one.
    const again = await keepMoneyTotals(server.driver, database(), { batch: 7 });
    expect(again.summed).toBe(true);
    expect(again.cells).toBe(kept.cells);
    expectSame(await totals(), before);
    const [left] = await run(
      `MATCH (c:${MONEY_ROLLUP_LABEL}) RETURN collect(DISTINCT c.version) AS generations`,
    );
    const now = await versions();
    expect(new Set(left?.get('generations') as string[])).toEqual(
      new Set([kept.generation, now.generation]),
    );
  });

  it('cells kept before generations are never read, and summed again; a claim for an older version does not hold a sum back', async () => {
    const before = await totals();
    await keepMoneyTotals(server.driver, database());
    const { graph } = await versions();
    // As the code before generations kept them: cells tagged by the graph version, and the
    // Setting's version; here changed by a million, which would show if they were read.
    await run(
      `MATCH (r:Setting {name: $setting}), (v:Setting {name: $graphSetting})
       SET r.version = v.value REMOVE r.generation, r.previous
       WITH v
       MATCH (c:${MONEY_ROLLUP_LABEL})
       SET c.version = v.value, c.value = c.value + 1000000.0`,
      { setting: MONEY_ROLLUP_SETTING, graphSetting: GRAPH_VERSION_SETTING },
    );
    expectSame(await totals(), before);
    // A claim, fresh, but for a version the graph is no longer at.
    await run(
      `MATCH (r:Setting {name: $setting})
       SET r.summing = 'an-older-version/x', r.summingSince = datetime()`,
      { setting: MONEY_ROLLUP_SETTING },
    );
    const again = await keepMoneyTotals(server.driver, database());
    expect(again.summed).toBe(true);
    expectSame(await totals(), before);
    const [old] = await run(
      `MATCH (c:${MONEY_ROLLUP_LABEL} {version: $graph}) RETURN count(c) AS n`,
      { graph },
    );
    expect(Number(old?.get('n'))).toBe(0);
  });

  it('a generation summed with fewer sets answers the others; the next sum adds the set', async () => {
    const { graph } = await versions();
    await keepMoneyTotals(server.driver, database());
    const q = {
      by: groupedBy('funder', 'year'),
      ...ABOUT_EVERYTHING,
      country: 'CD',
      offset: neo4j.int(0),
      limit: neo4j.int(1000),
    };
    const live = (await run(moneyTotalsCypher(q), q)).map((r) => r.get('row') as Row);
    expect(live.length).toBeGreaterThan(0);
    // As a version of this code without the set per country and funder left them.
    await run(
      `MATCH (r:Setting {name: $setting}) SET r.sets = $older
       WITH r MATCH (c:${MONEY_ROLLUP_LABEL} {rollup: 'country+funder'}) DETACH DELETE c`,
      { setting: MONEY_ROLLUP_SETTING, older: ['none', 'country', 'sector', 'country+sector'] },
    );
    const [without] = await run(moneyRollupCypher(q), { ...q, rollup: 'country+funder' });
    expect(without?.get('fresh')).toBe(false);
    // A generation switched to by such a version says no sets (those said are another's).
    await run(
      `MATCH (r:Setting {name: $setting})
       SET r.sets = $all, r.setsOf = r.generation + '-before'`,
      { setting: MONEY_ROLLUP_SETTING, all: [...ROLLUP_SETS] },
    );
    const [unsaid] = await run(moneyRollupCypher(q), { ...q, rollup: 'country+funder' });
    expect(unsaid?.get('fresh')).toBe(false);
    await run(`MATCH (r:Setting {name: $setting}) SET r.sets = $older, r.setsOf = r.generation`, {
      setting: MONEY_ROLLUP_SETTING,
      older: ['none', 'country', 'sector', 'country+sector'],
    });
    const [sector] = await run(moneyRollupCypher({ ...q, by: groupedBy('sector') }), {
      ...q,
      rollup: 'country+sector',
    });
    expect(sector?.get('fresh')).toBe(true);
    // The API answers live meanwhile, and the next sum (an import, a start) adds the set.
    const { body } = await gql<{ moneyTotals: Row[] }>(
      server,
      '{ moneyTotals(groupBy: [FUNDER, YEAR], country: "CD", limit: 100) { year type currency value count } }',
    );
    expect(body.data?.moneyTotals.length).toBe(Math.min(100, live.length));
    const again = await keepMoneyTotals(server.driver, database());
    expect(again.summed).toBe(true);
    expect((await versions()).graph).toBe(graph);
    const [kept] = await run(moneyRollupCypher(q), { ...q, rollup: 'country+funder' });
    expect(kept?.get('fresh')).toBe(true);
    expectSame(kept?.get('rows') as Row[], live);
  });

  it('a running API sums them again once the edits pause', async () => {
    const [programme] = await run(
      'MATCH (p:Programme)-[:HAS_TRANSACTION]->() RETURN p.name AS name LIMIT 1',
    );
    const token = await new SignJWT({ roles: ['editor'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(SECRET));
    const edited = await gql<{ updateProgrammes: { programmes: { name: string }[] } }>(
      server,
      `mutation ($name: String!) {
        updateProgrammes(where: { name: { eq: $name } }, update: { description: { set: "edited" } }) {
          programmes { name }
        }
      }`,
      { name: programme?.get('name') as string },
      { authorization: `Bearer ${token}` },
    );
    expect(edited.body.errors).toBeUndefined();
    expect(edited.body.data?.updateProgrammes.programmes).toHaveLength(1);
    // The mutation moved the version: the totals are stale, the questions answered live …
    const moved = await versions();
    expect(moved.kept).not.toBe(moved.graph);
    // … until the API sums them again, after a quiet period (MONEY_TOTALS_QUIET_MS).
    const until = Date.now() + 20_000;
    let now = moved;
    while (now.kept !== now.graph && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 250));
      now = await versions();
    }
    expect(now.kept).toBe(now.graph);
    expect(now.graph).toBe(moved.graph);
  }, 30_000);

  it('an API started on stale totals sums them (in the background, settled here before it answers)', async () => {
    await bumpGraphVersion(server.driver, database());
    const stale = await versions();
    expect(stale.kept).not.toBe(stale.graph);
    const other = await startTestServer({ reseed: false, overrides: { RESPONSE_CACHE_MB: '0' } });
    try {
      expect(await versions()).toMatchObject({ graph: stale.graph, kept: stale.graph });
      const { status, body } = await gql<{ moneyTotals: Row[] }>(
        other,
        '{ moneyTotals(groupBy: []) { type currency value count } }',
      );
      expect(body.errors).toBeUndefined();
      expect(status).toBe(200);
      expectSame(body.data!.moneyTotals, await totals());
    } finally {
      await other.close();
    }
  }, 60_000);
});
