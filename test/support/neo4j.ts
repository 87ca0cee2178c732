/** Database helpers for integration tests: a driver on the tests' Neo4j and a clean slate. */
import neo4j, { type Driver } from 'neo4j-driver';
import { loadConfig } from '../../src/config/index.js';

export function testDriver(): Driver {
  const { uri, username, password } = loadConfig().neo4j;
  return neo4j.driver(uri, neo4j.auth.basic(username, password));
}

export const database = () => loadConfig().neo4j.database;

const quoteName = (name: string) => `\`${name.replaceAll('`', '``')}\``;

/**
 * Empties the database: every node and relationship, then every constraint and index (names
 * come from SHOW and are quoted as identifiers; values are never spliced into Cypher).
 */
export async function resetDatabase(driver: Driver): Promise<void> {
  const db = { database: database() };
  await driver.executeQuery('MATCH (n) DETACH DELETE n', {}, db);
  const constraints = await driver.executeQuery('SHOW CONSTRAINTS YIELD name RETURN name', {}, db);
  for (const record of constraints.records) {
    await driver.executeQuery(
      `DROP CONSTRAINT ${quoteName(String(record.get('name')))} IF EXISTS`,
      {},
      db,
    );
  }
  const indexes = await driver.executeQuery(
    "SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP' RETURN name",
    {},
    db,
  );
  for (const record of indexes.records) {
    await driver.executeQuery(
      `DROP INDEX ${quoteName(String(record.get('name')))} IF EXISTS`,
      {},
      db,
    );
  }
}

/** Node counts per label and relationship counts per type, for before/after comparisons. */
export async function graphCounts(driver: Driver): Promise<Record<string, number>> {
  const { records } = await driver.executeQuery(
    `CALL () {
       MATCH (n) UNWIND labels(n) AS key RETURN key, count(*) AS n
       UNION ALL
       MATCH ()-[r]->() RETURN '-[' + type(r) + ']->' AS key, count(*) AS n
     }
     RETURN key, n ORDER BY key`,
    {},
    { database: database() },
  );
  return Object.fromEntries(records.map((r) => [String(r.get('key')), Number(r.get('n'))]));
}
