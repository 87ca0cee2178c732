/** Database helpers for integration tests: a driver on the tests' Neo4j and a clean slate. */
import { GRAPH_VERSION_SETTING } from '../../src/store/graph-version.js';
import { MONEY_ROLLUP_SETTING } from '../../src/store/analyst/money-rollup.js';
import type { Driver } from 'neo4j-driver';
import { loadConfig } from '../../src/config/index.js';
import { createDriver } from '../../src/store/driver.js';
import { countGraph } from '../../src/store/graph-stats.js';

/** A driver configured as the application's own. */
export const testDriver = (): Driver => createDriver(loadConfig().neo4j);

export const database = () => loadConfig().neo4j.database;

const quoteName = (name: string) => `\`${name.replaceAll('`', '``')}\``;

/**
 * Empties the database: every node and relationship, then every constraint and index (names
 * come from SHOW and are quoted as identifiers; values are never spliced into Cypher).
 */
export async function resetDatabase(driver: Driver): Promise<void> {
  const db = { database: database() };
  // In batches, so that a database left large (a benchmark's) is emptied too.
  const session = driver.session(db);
  try {
    await session.run('MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS');
  } finally {
    await session.close();
  }
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

/** Node counts per label and relationship counts per type (`-[TYPE]->`), in one record. */
export async function graphCounts(driver: Driver): Promise<Record<string, number>> {
  const { labels, types } = await countGraph(driver, database());
  return {
    ...labels,
    ...Object.fromEntries(Object.entries(types).map(([type, n]) => [`-[${type}]->`, n])),
  };
}

/**
 * A digest of everything in the database (every node with its labels and properties, every
 * relationship with its ends and properties; property order, which means nothing, is sorted
 * away), to prove that a rejected or repeated import changed nothing. The writer's bookkeeping
 * (SourceStatement, what each source states; SourceResolution, how its mentions resolved) is
 * left out: its records carry an import's id;
 * so is the graph's version, which every write moves by design (store/graph-version.ts), and
 * the money totals summed for it (MoneyRollup, store/analyst/money-rollup.ts), tagged with it.
 */
export async function graphFingerprint(driver: Driver): Promise<string> {
  const { records } = await driver.executeQuery(
    `CALL () {
       MATCH (n) WHERE NOT n:SourceStatement AND NOT n:SourceResolution AND NOT n:MoneyRollup
         AND NOT (n:Setting AND n.name IN [$versionSetting, $rollupSetting])
       RETURN apoc.convert.toJson({labels: apoc.coll.sort(labels(n)), props: apoc.map.sortedProperties(n)}) AS item
       UNION ALL
       MATCH (a)-[r]->(b)
       RETURN apoc.convert.toJson({a: apoc.map.sortedProperties(a), type: type(r), props: apoc.map.sortedProperties(r), b: apoc.map.sortedProperties(b)}) AS item
     }
     WITH item ORDER BY item
     RETURN apoc.util.sha256(collect(item)) AS digest, count(*) AS items`,
    { versionSetting: GRAPH_VERSION_SETTING, rollupSetting: MONEY_ROLLUP_SETTING },
    { database: database() },
  );
  return `${String(records[0]?.get('items'))}:${String(records[0]?.get('digest'))}`;
}
