/**
 * Constraints and indexes the graph relies on. Created idempotently (IF NOT EXISTS) by the
 * importer before it writes, and asserted by the API at start-up.
 */
import type { Driver } from 'neo4j-driver';

/** Name of the full-text index over names and aliases (case- and accent-insensitive). */
export const NAME_SEARCH_INDEX = 'nameSearch';

const STATEMENTS = [
  'CREATE CONSTRAINT source_key IF NOT EXISTS FOR (n:Source) REQUIRE n.key IS UNIQUE',
  'CREATE CONSTRAINT country_code IF NOT EXISTS FOR (n:Country) REQUIRE n.code IS UNIQUE',
  'CREATE CONSTRAINT place_key IF NOT EXISTS FOR (n:Place) REQUIRE n.key IS UNIQUE',
  'CREATE CONSTRAINT organisation_key IF NOT EXISTS FOR (n:Organisation) REQUIRE n.key IS UNIQUE',
  'CREATE CONSTRAINT fund_key IF NOT EXISTS FOR (n:Fund) REQUIRE n.key IS UNIQUE',
  'CREATE CONSTRAINT programme_key IF NOT EXISTS FOR (n:Programme) REQUIRE n.key IS UNIQUE',
  'CREATE INDEX organisation_kind IF NOT EXISTS FOR (n:Organisation) ON (n.kind)',
  'CREATE INDEX participation_fid IF NOT EXISTS FOR ()-[r:PARTICIPATES_IN]-() ON (r.fid)',
  'CREATE INDEX funds_fid IF NOT EXISTS FOR ()-[r:FUNDS]-() ON (r.fid)',
  // standard-folding: Lucene's ASCII folding, so "Ethiopie" finds "Ethiopië".
  `CREATE FULLTEXT INDEX ${NAME_SEARCH_INDEX} IF NOT EXISTS
     FOR (n:Organisation|Programme|Fund) ON EACH [n.name, n.nameEn, n.aliases]
     OPTIONS { indexConfig: { \`fulltext.analyzer\`: 'standard-folding', \`fulltext.eventually_consistent\`: false } }`,
];

export async function ensureSchema(driver: Driver, database: string): Promise<void> {
  for (const statement of STATEMENTS) {
    await driver.executeQuery(statement, {}, { database });
  }
  await driver.executeQuery('CALL db.awaitIndexes(60)', {}, { database });
}
