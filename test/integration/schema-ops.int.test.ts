/**
 * The graph's indexes on a database written before names were bounded: a paragraph stored as a
 * name (real files have them, over 17,000 bytes) would leave the name index FAILED, past Neo4j's
 * 8,167-byte key limit. ensureSchema cuts such names once, as the importer now does, keeping the
 * whole text as an alias, and then every index it expects is online.
 */
import type { Driver } from 'neo4j-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boundedName, MAX_NAME } from '../../src/model/names.js';
import { ensureSchema, missingSchema } from '../../src/store/schema-ops.js';
import { database, testDriver } from '../support/neo4j.js';

const KEY = 'schema-ops-paragraph-as-name';
const PARAGRAPH = `Weaving Bonds Across Borders is a global network ${'that connects young leaders working for peace '.repeat(200)}`;

describe('names stored before they were bounded', () => {
  let driver: Driver;
  beforeAll(async () => {
    driver = testDriver();
    // The whole schema but the name index, whatever the files before this one left.
    await ensureSchema(driver, database());
  });
  afterAll(async () => {
    await driver.executeQuery(
      'MATCH (n:Organisation {key: $key}) DETACH DELETE n',
      { key: KEY },
      {
        database: database(),
      },
    );
    await ensureSchema(driver, database());
    await driver.close();
  });

  it('are cut once, the whole kept as an alias, and the name index comes online', async () => {
    expect(Buffer.byteLength(PARAGRAPH)).toBeGreaterThan(8_167);
    await driver.executeQuery(
      'DROP INDEX organisation_name IF EXISTS',
      {},
      { database: database() },
    );
    await driver.executeQuery(
      `CREATE (:Organisation {key: $key, name: $name, aliases: ['WBAB'], kind: 'NGO', named: true})`,
      { key: KEY, name: PARAGRAPH },
      { database: database() },
    );
    expect(await missingSchema(driver, database())).toEqual([
      'missing: index on Organisation.name',
    ]);

    await ensureSchema(driver, database());

    expect(await missingSchema(driver, database())).toEqual([]);
    const { records } = await driver.executeQuery(
      'MATCH (n:Organisation {key: $key}) RETURN n.name AS name, n.aliases AS aliases',
      { key: KEY },
      { database: database() },
    );
    const name = records[0]?.get('name') as string;
    expect(name).toBe(boundedName(PARAGRAPH));
    expect([...name].length).toBeLessThanOrEqual(MAX_NAME);
    expect(records[0]?.get('aliases')).toEqual(['WBAB', PARAGRAPH]);
    // Found through the index, in name order, by the form whole-graph lists use.
    const found = await driver.executeQuery(
      `MATCH (n:Organisation) USING INDEX n:Organisation(name)
       WHERE n.name STARTS WITH 'Weaving Bonds' RETURN n.key AS key`,
      {},
      { database: database() },
    );
    expect(found.records.map((r) => r.get('key') as string)).toContain(KEY);
  });
});
