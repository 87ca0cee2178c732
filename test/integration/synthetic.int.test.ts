/**
 * The benchmark generator, tiny size, end to end: `npm run bench:generate` writes through the
 * one writer; the graph has the size and shape asked for; a second run changes nothing.
 */
import { spawnSync } from 'node:child_process';
import type { Driver } from 'neo4j-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/config/index.js';
import { SIZES } from '../../src/ingest/synthetic/generate.js';
import { database, graphFingerprint, resetDatabase, testDriver } from '../support/neo4j.js';

const generate = () =>
  spawnSync(
    process.execPath,
    ['--import', 'tsx', 'src/ingest/synthetic/cli.ts', '--size', 'tiny', '--seed', '5'],
    {
      cwd: projectRoot,
      encoding: 'utf8',
    },
  );

describe('npm run bench:generate -- --size tiny', () => {
  let driver: Driver;
  beforeAll(async () => {
    driver = testDriver();
    await resetDatabase(driver);
  });
  afterAll(() => driver.close());

  it('writes the tiny graph through the writer, and a re-run is a no-op', async () => {
    const first = generate();
    expect(first.status, first.stderr + first.stdout).toBe(0);
    expect(first.stdout).toMatch(
      /wrote synthetic-tiny-5 in [\d.]+ s: 200 organisations, 500 programmes/,
    );
    const { records } = await driver.executeQuery(
      `MATCH (o:Organisation) WITH count(o) AS organisations
       MATCH (p:Programme) WITH organisations, count(p) AS programmes
       MATCH (p:Programme) WHERE COUNT { (:Organisation)-[:PARTICIPATES_IN {role: 'LEAD'}]->(p) } = 1
       WITH organisations, programmes, count(p) AS withOneLead
       MATCH (s:Source {key: 'synthetic-tiny-5'})
       RETURN organisations, programmes, withOneLead, s.importStatus AS status`,
      {},
      { database: database() },
    );
    expect(records[0]?.toObject()).toEqual({
      organisations: SIZES.tiny.organisations,
      programmes: SIZES.tiny.programmes,
      withOneLead: SIZES.tiny.programmes,
      status: 'COMPLETE',
    });
    const before = await graphFingerprint(driver);
    const second = generate();
    expect(second.status, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/0 nodes and 0 relationships created/);
    expect(await graphFingerprint(driver)).toBe(before);
  }, 120_000);
});
