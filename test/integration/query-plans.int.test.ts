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
import type { CapturedStatement } from '../support/cypher-capture.js';
import { database } from '../support/neo4j.js';
import { gql, startCapturingServer, type TestServer } from '../support/server.js';

interface PlanNode {
  operatorType: string;
  dbHits: number;
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
