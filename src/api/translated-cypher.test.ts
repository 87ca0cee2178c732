/**
 * The Cypher @neo4j/graphql translates the saved questions and analyst queries into, checked
 * without a database (as the library's own test kit checks its translations): for every
 * operation the library translates alone, the statements must be exactly the reviewed ones in
 * test/integration/cypher/. A change to the schema or to @neo4j/graphql that alters one fails
 * here, in the unit tier, in seconds. The analyst's own statements — which depend on what
 * their name lookups find — and the proof that the server really sends these are in
 * test/integration/cypher-snapshots.int.test.ts. Update both with `-u` and review the diff.
 */
import path from 'node:path';
import type { Driver } from 'neo4j-driver';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ANALYST_QUERIES,
  formatStatements,
  translate,
  translatedByLibraryAlone,
} from '../../test/support/cypher-capture.js';
import { parseConfig } from '../config/index.js';
import { loadSavedQueries } from './saved-queries.js';
import { buildSchema, type BuiltSchema } from './schema.js';

/** The home organisation of the seed page, as the integration tests' graph has it. */
const HOME = 'defence-for-children';

const snapshot = (name: string) =>
  path.join(import.meta.dirname, '../../test/integration/cypher', `${name}.cypher`);

const operations = [
  ...loadSavedQueries().map((q) => ({
    name: q.name,
    document: q.document,
    variables: q.variables,
  })),
  ...Object.entries(ANALYST_QUERIES).map(([name, document]) => ({
    name,
    document,
    variables: undefined,
  })),
];
const translated = operations.filter((o) => translatedByLibraryAlone(o.document));

describe('the Cypher @neo4j/graphql sends, without a database', () => {
  const { maxPageSize } = parseConfig({ NODE_ENV: 'test' }).limits;
  let built: BuiltSchema;
  beforeAll(async () => {
    // No driver: the operations run on a recording transaction (translate).
    built = await buildSchema({} as Driver, { maxPageSize });
  });

  it('covers the operations the library translates alone, and only those', () => {
    expect(translated.map((o) => o.name)).toEqual(
      expect.arrayContaining(['programme-leads', 'programmes-by-funder', 'analyst-home']),
    );
    expect(translated.map((o) => o.name)).not.toContain(
      'partners-in-ethiopia-under-ministry-grant',
    );
  });

  for (const op of translated) {
    it(op.name, async () => {
      const statements = await translate(built.schema, op.document, op.variables, {
        homeKey: HOME,
        maxPageSize,
      });
      expect(statements.length).toBeGreaterThan(0);
      await expect(formatStatements(statements)).toMatchFileSnapshot(snapshot(op.name));
    });
  }
});
