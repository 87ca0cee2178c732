/**
 * Cypher under review: the statements (and parameters) every saved question and every analyst
 * query sends to Neo4j, as files in test/integration/cypher/. A change to the schema, to
 * @neo4j/graphql or to the analyst repository that changes a query shows up as a diff of those
 * files; CI fails on a difference (vitest does not rewrite snapshots there). The operations
 * @neo4j/graphql translates alone are also checked without a database, in the unit tier
 * (src/api/translated-cypher.test.ts); here, on the real server, the analyst's statements —
 * which depend on what their lookups find — and proof that the server sends exactly the
 * statements the unit tier checks. Update them with `npx vitest run --project integration -u`
 * (and `--project unit -u`) and review the diff.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSavedQueries } from '../../src/api/saved-queries.js';
import {
  ANALYST_QUERIES,
  formatStatements,
  type CapturedStatement,
} from '../support/cypher-capture.js';
import { gql, startCapturingServer, type TestServer } from '../support/server.js';

describe('the Cypher of every saved question and analyst query', () => {
  let captured: Awaited<ReturnType<typeof startCapturingServer>>;
  let server: TestServer;
  let log: CapturedStatement[];
  beforeAll(async () => {
    captured = await startCapturingServer();
    ({ server, log } = captured);
  });
  afterAll(() => captured.close());

  const snapshot = (name: string) => path.join(import.meta.dirname, 'cypher', `${name}.cypher`);

  for (const q of loadSavedQueries()) {
    it(`saved question ${q.name}`, async () => {
      log.length = 0;
      const { status, body } = await gql(server, q.document, q.variables);
      expect(body.errors).toBeUndefined();
      expect(status).toBe(200);
      expect(log.length).toBeGreaterThan(0);
      await expect(formatStatements(log)).toMatchFileSnapshot(snapshot(q.name));
    });
  }

  for (const [name, query] of Object.entries(ANALYST_QUERIES)) {
    it(name, async () => {
      log.length = 0;
      const { status, body } = await gql(server, query);
      expect(body.errors).toBeUndefined();
      expect(status).toBe(200);
      expect(log.length).toBeGreaterThan(0);
      await expect(formatStatements(log)).toMatchFileSnapshot(snapshot(name));
    });
  }
});
