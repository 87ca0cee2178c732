/** The local Neo4j is what @neo4j/graphql 7 needs: version >= 5.23 and APOC core's functions. */
import { Neo4jGraphQL } from '@neo4j/graphql';
import type { Driver } from 'neo4j-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTypeDefs } from '../../src/api/type-defs.js';
import { database, resetDatabase, testDriver } from '../support/neo4j.js';

describe('Neo4j compatibility', () => {
  let driver: Driver;
  beforeAll(async () => {
    driver = testDriver();
    await resetDatabase(driver);
  });
  afterAll(() => driver.close());

  it('runs Neo4j 5.26 Community with APOC core loaded', async () => {
    const { records } = await driver.executeQuery(
      `CALL dbms.components() YIELD name, versions, edition
       RETURN name, versions[0] AS version, edition, apoc.version() AS apoc`,
    );
    const row = records[0];
    expect(row?.get('name')).toBe('Neo4j Kernel');
    expect(String(row?.get('version'))).toMatch(/^5\.26\.\d+$/);
    expect(row?.get('edition')).toBe('community');
    expect(row?.get('apoc')).toBe(row?.get('version'));
  });

  it("passes @neo4j/graphql's compatibility check (version and APOC functions)", async () => {
    const neoSchema = new Neo4jGraphQL({ typeDefs: loadTypeDefs(), driver });
    await neoSchema.getSchema();
    await expect(
      neoSchema.checkNeo4jCompat({ driver, sessionConfig: { database: database() } }),
    ).resolves.toBeUndefined();
    const { records } = await driver.executeQuery(
      "SHOW FUNCTIONS YIELD name WHERE name IN ['apoc.util.validatePredicate', 'apoc.date.convertFormat'] RETURN collect(name) AS names",
    );
    expect([...(records[0]?.get('names') as string[])].sort()).toEqual([
      'apoc.date.convertFormat',
      'apoc.util.validatePredicate',
    ]);
  });
});
