/**
 * Programmes across sources (store/programme-links.ts): the page's programme and the IATI
 * activity that reports it — the same name once normalised and an organisation in common — are
 * linked both ways, whichever source is written first; the same name without an organisation
 * in common is no link.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Driver } from 'neo4j-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/config/index.js';
import { importIati } from '../../src/ingest/iati/import-iati.js';
import { defaultSeedFiles, seed } from '../../src/ingest/ingest.js';
import { database, resetDatabase, testDriver } from '../support/neo4j.js';
import { gql, startTestServer, type TestServer } from '../support/server.js';

const PORTFOLIO = path.join(projectRoot, 'test/fixtures/iati/portfolio.xml');
/** Girls Advocacy Alliance: the page's programme, led by Plan International Nederland. */
const PAGE_GAA = 'girls-advocacy-alliance';
/** The same alliance in the portfolio, reported by Plan International Nederland. */
const IATI_GAA = 'NL-KVK-41198890-GAA';

/** An activity of the same name that no organisation of the page's programme touches. */
const namesake = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'namesake-'));
  const file = path.join(dir, 'namesake.xml');
  writeFileSync(
    file,
    `<?xml version="1.0" encoding="UTF-8"?>
<iati-activities version="2.03" generated-datetime="2026-01-15T10:00:00Z">
  <iati-activity default-currency="EUR" last-updated-datetime="2026-01-15T10:00:00Z">
    <iati-identifier>XX-NAMESAKE-1</iati-identifier>
    <reporting-org ref="GB-COH-99999999" type="21"><narrative>Another Charity</narrative></reporting-org>
    <title><narrative>Girls' Advocacy Alliance</narrative></title>
    <participating-org ref="GB-COH-99999999" role="2" type="21"><narrative>Another Charity</narrative></participating-org>
    <activity-status code="2"/>
    <activity-date type="1" iso-date="2020-01-01"/>
  </iati-activity>
</iati-activities>
`,
  );
  return file;
};

describe('programmes across sources', () => {
  let driver: Driver;
  let server: TestServer;
  const linked = async (key: string) => {
    const { records } = await driver.executeQuery(
      `MATCH (:Programme {key: $key})-[r:SAME_PROGRAMME]-(other)
       RETURN other.key AS key, r.basis AS basis, r.quote AS quote ORDER BY key`,
      { key },
      { database: database() },
    );
    return records.map((r) => r.toObject());
  };
  beforeAll(async () => {
    driver = testDriver();
    // Seeded first: the server must not start on whatever graph the previous test file left.
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.close();
    await driver.close();
  });

  it('links the page’s programme and the activity that reports it, written in either order', async () => {
    await resetDatabase(driver);
    await seed(driver, database(), defaultSeedFiles());
    await importIati(driver, database(), [PORTFOLIO, namesake()]);
    const after = await linked(PAGE_GAA);
    expect(after).toEqual([
      {
        key: IATI_GAA,
        basis: 'DERIVED',
        quote: expect.stringMatching(
          /the same name, and .*Plan International Nederland.* in both/,
        ) as unknown,
      },
    ]);
    // The same name without an organisation in common: no link.
    expect(await linked('XX-NAMESAKE-1')).toEqual([]);

    // Queried from either side.
    const both = await gql<{
      programmes: { key: string; sameProgramme: { key: string }[] }[];
    }>(
      server,
      `query ($keys: [String!]) {
        programmes(where: { key: { in: $keys } }, sort: [{ key: ASC }]) { key sameProgramme { key } }
      }`,
      { keys: [PAGE_GAA, IATI_GAA] },
    );
    expect(both.body.errors).toBeUndefined();
    expect(both.body.data?.programmes).toEqual([
      { key: IATI_GAA, sameProgramme: [{ key: PAGE_GAA }] },
      { key: PAGE_GAA, sameProgramme: [{ key: IATI_GAA }] },
    ]);

    // The other way round: the IATI file first, the page after it.
    await resetDatabase(driver);
    await importIati(driver, database(), [PORTFOLIO]);
    expect(await linked(IATI_GAA)).toEqual([]);
    const seeded = await seed(driver, database(), defaultSeedFiles());
    // The page's Plan International Nederland carries the ref the file gives its reporter: the
    // file was written again, its mentions now on the page's node, the old node recorded as
    // merged into it.
    expect(seeded.realigned).toEqual(['iati-portfolio']);
    const reporter = await driver.executeQuery(
      `MATCH (o:Organisation)-[:REPORTS]->(:Programme {key: $key})
       OPTIONAL MATCH (m:OrganisationMerge {into: o.key})
       RETURN o.key AS key, collect(m.from) AS merged`,
      { key: IATI_GAA },
      { database: database() },
    );
    expect(reporter.records.map((r) => r.toObject())).toEqual([
      { key: 'plan-international-nederland', merged: ['nl-kvk-41198890'] },
    ]);
    expect(await linked(IATI_GAA)).toEqual([{ ...after[0], key: PAGE_GAA }]);
  });

  it('drops the link when its evidence goes', async () => {
    await resetDatabase(driver);
    await seed(driver, database(), defaultSeedFiles());
    await importIati(driver, database(), [PORTFOLIO]);
    expect(await linked(IATI_GAA)).toHaveLength(1);
    // A new version of the file that gives the activity another title.
    const dir = mkdtempSync(path.join(tmpdir(), 'renamed-'));
    const renamed = path.join(dir, path.basename(PORTFOLIO));
    writeFileSync(
      renamed,
      readFileSync(PORTFOLIO, 'utf8')
        .replace('Meisjes Pleitbezorging Alliantie', 'Meisjes Pleitbezorging')
        .replace('Girls Advocacy Alliance', 'Girls Advocacy'),
    );
    await importIati(driver, database(), [renamed]);
    expect(await linked(IATI_GAA)).toEqual([]);
  });
});
