/**
 * Keep it fast without timing it: the statements the API sends to find what an analyst names —
 * an organisation by key, IATI ref, name or alias; a country by a source's spelling; a
 * programme, organisation or fund by name in any spelling; money from one funder — start from
 * an index, never from a scan of every node of a label. Checked by PROFILE on the real Neo4j:
 * a label or all-nodes scan may appear in a plan (a branch for another question) but must not
 * touch the store (0 db hits). Speed itself is measured by `npm run bench`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Driver } from 'neo4j-driver';
import { loadSavedQueries } from '../../src/api/saved-queries.js';
import type { CapturedStatement } from '../support/cypher-capture.js';
import { database } from '../support/neo4j.js';
import { gql, startCapturingServer, type TestServer } from '../support/server.js';

interface PlanNode {
  operatorType: string;
  dbHits: number;
  arguments: { Details?: string; Order?: string };
  children: PlanNode[];
}

const operators = (plan: PlanNode): PlanNode[] => [plan, ...plan.children.flatMap(operators)];

describe('lookups by name start from an index', () => {
  let captured: Awaited<ReturnType<typeof startCapturingServer>>;
  let server: TestServer;
  let log: CapturedStatement[];
  let real: Driver;
  beforeAll(async () => {
    captured = await startCapturingServer();
    ({ server, log, driver: real } = captured);
  });
  afterAll(() => captured.close());

  /** The scans (with their db hits) of every statement the API sends for `query`. */
  async function scans(query: string): Promise<{ statements: number; scans: string[] }> {
    log.length = 0;
    const { status, body } = await gql(server, query);
    expect(body.errors).toBeUndefined();
    expect(status).toBe(200);
    const sent = [...log];
    const found: string[] = [];
    for (const s of sent) {
      const session = real.session({ database: database(), defaultAccessMode: 'READ' });
      try {
        const result = await session.run(`PROFILE ${s.cypher}`, s.params);
        const plan = result.summary.profile as unknown as PlanNode;
        for (const op of operators(plan)) {
          if (/LabelScan|AllNodesScan/.test(op.operatorType) && op.dbHits > 0) {
            found.push(
              `${op.operatorType} (${op.dbHits} db hits) in: ${s.cypher.trim().slice(0, 120)}`,
            );
          }
        }
      } finally {
        await session.close();
      }
    }
    return { statements: sent.length, scans: found };
  }

  it.each([
    [
      'an organisation by name',
      '{ partners(of: "Plan International Nederland", limit: 1) { role } }',
    ],
    [
      'an organisation by alias, in other capitals',
      '{ portfolio(funder: "ministerie van buitenlandse zaken") { programme { key } } }',
    ],
    [
      'an organisation by key',
      '{ fundingChains(to: "plan-international-nederland", limit: 1) { programme { key } } }',
    ],
    [
      'money from a funder named',
      '{ moneyTotals(groupBy: [YEAR], funder: "Ministerie van Buitenlandse Zaken") { value } }',
    ],
    ['a country by a source spelling', '{ country(name: "Filippijnen") { code } }'],
    ['a programme by name, any spelling', '{ programmesNamed(name: "DOWN-TO-ZERO") { key } }'],
    [
      'an organisation by name, any spelling',
      '{ organisationsNamed(name: "terre des hommes") { key } }',
    ],
    ['a fund by acronym', '{ fundsNamed(name: "AMIF") { key } }'],
  ])('%s', async (_what, query) => {
    const { statements, scans: found } = await scans(query);
    expect(statements).toBeGreaterThan(0);
    expect(found).toEqual([]);
  });

  it('finds what it names (the lookups answer, not just run)', async () => {
    const { body } = await gql(
      server,
      `{ p: programmesNamed(name: "down to zero") { name }
         o: organisationsNamed(name: "TERRE DES HOMMES") { name }
         f: fundsNamed(name: "amif") { name acronym } }`,
    );
    expect(body.errors).toBeUndefined();
    const data = body.data as Record<string, { name: string; acronym?: string }[]>;
    expect(data.p?.map((x) => x.name)).toEqual(['Down to Zero']);
    expect(data.o?.map((x) => x.name)).toEqual(['Terre des Hommes']);
    expect(data.f?.map((x) => x.acronym)).toEqual(['AMIF']);
  });
});

/**
 * A whole-graph list sorted by name reads its first page in the name index's order and stops
 * there, instead of sorting every node of the label. Neo4j Community uses a range index for ORDER
 * BY only when the query says the property is not null: `name: { startsWith: "" }` says so
 * (every name starts with ""). Names are bounded (model/names.ts), so the index holds them all.
 */
describe('whole-graph lists sorted by name read the name index in order', () => {
  let captured: Awaited<ReturnType<typeof startCapturingServer>>;
  beforeAll(async () => {
    captured = await startCapturingServer();
  });
  afterAll(() => captured.close());

  /** The root statement's plan, and the answer, of `query`. */
  async function planOf(query: string, variables?: Record<string, unknown>) {
    captured.log.length = 0;
    const { status, body } = await gql(captured.server, query, variables);
    expect(body.errors).toBeUndefined();
    expect(status).toBe(200);
    const root = captured.log[0];
    if (!root) throw new Error('no statement sent');
    const result = await captured.driver.executeQuery(`EXPLAIN ${root.cypher}`, root.params, {
      database: database(),
    });
    const plan = operators(result.summary.plan as unknown as PlanNode);
    const details = (op: PlanNode) => op.arguments.Details ?? '';
    return {
      data: body.data as Record<string, { name: string }[]>,
      seeksInOrder: plan.filter(
        (op) =>
          op.operatorType.startsWith('NodeIndexSeekByRange') &&
          /\(name\) WHERE name STARTS WITH/.test(details(op)) &&
          /this\.name ASC/.test(op.arguments.Order ?? ''),
      ).length,
      labelScans: plan
        .filter((op) => /^(NodeByLabelScan|AllNodesScan)@/.test(op.operatorType))
        .map((op) => details(op)),
      sortsByName: plan
        .filter((op) => /^(Sort|Top|PartialSort|PartialTop)@/.test(op.operatorType))
        .filter((op) => /`this\.name`/.test(details(op)))
        .map((op) => op.operatorType),
    };
  }

  it.each(['Organisation', 'Programme', 'Fund'])(
    '%s: the first page in name order',
    async (label) => {
      const field = `${label.toLowerCase()}s`;
      const inOrder = await planOf(
        `{ ${field}(where: { name: { startsWith: "" } }, sort: [{ name: ASC }], limit: 3) { name } }`,
      );
      expect(inOrder.seeksInOrder).toBe(1);
      expect(inOrder.sortsByName).toEqual([]);
      // The same answer as sorting them all.
      const sorted = await planOf(`{ ${field}(sort: [{ name: ASC }], limit: 3) { name } }`);
      expect(sorted.sortsByName).not.toEqual([]);
      expect(inOrder.data[field]?.length).toBeGreaterThan(0);
      expect(inOrder.data[field]).toEqual(sorted.data[field]);
    },
  );

  // Every saved question that says it, by rule. Where its other filters are on relationships
  // only, the name index is the one way in; where one is on an indexed property (the years of
  // ProgrammesActiveInYear) Neo4j chooses by the graph's statistics — on this small graph it
  // seeks the year, on the large synthetic one it reads names in order — so those are held to
  // starting from an index.
  const inIndexOrder = loadSavedQueries().filter((q) =>
    /name: \{ startsWith: "" \}/.test(q.document),
  );
  const nameIndexOnly = ['programme-leads', 'eu-funded-programmes'];

  it('covers the saved questions that list programmes in name order', () => {
    expect(inIndexOrder.map((q) => q.name)).toEqual(
      expect.arrayContaining([...nameIndexOnly, 'programmes-active-in-year']),
    );
  });

  it.each(inIndexOrder.map((q) => [q.name, q] as const))(
    'saved question %s reads in name order',
    async (name, saved) => {
      const { seeksInOrder, sortsByName, labelScans, data } = await planOf(
        saved.document,
        saved.variables,
      );
      expect(labelScans).toEqual([]);
      if (nameIndexOnly.includes(name)) {
        expect(seeksInOrder).toBe(1);
        expect(sortsByName).toEqual([]);
      }
      const [list] = Object.values(data);
      const names = list?.map((p) => p.name) ?? [];
      expect(names.length).toBeGreaterThan(0);
      expect(names).toEqual([...names].sort());
    },
  );
});
