/** The seed import against the real Neo4j: counts, idempotence, rejection of bad input. */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Driver } from 'neo4j-driver';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/config/index.js';
import { ImportValidationError } from '../../src/errors/expected.js';
import { seed } from '../../src/ingest/ingest.js';
import {
  database,
  graphCounts,
  graphFingerprint,
  resetDatabase,
  testDriver,
} from '../support/neo4j.js';
import { realSeed, realSeedText, seedWith, writeSeed, writeSource } from '../support/seed-files.js';

const EXPECTED_COUNTS = {
  Country: 25,
  Fund: 5,
  Organisation: 36,
  Place: 2,
  Programme: 10,
  Source: 1,
  '-[BASED_IN]->': 20,
  '-[EXTENDS]->': 1,
  '-[FUNDS]->': 12,
  '-[IN_COUNTRY]->': 2,
  '-[MANAGES]->': 1,
  '-[MEMBER_OF]->': 2,
  '-[OWNS]->': 4,
  '-[PARTICIPATES_IN]->': 44,
  '-[RUNS_IN]->': 25,
  '-[UNDER_FRAMEWORK]->': 1,
};

describe('seed import', () => {
  let driver: Driver;
  beforeAll(async () => {
    driver = testDriver();
    await resetDatabase(driver);
  });
  afterAll(() => driver.close());

  it('imports the page: every entity of the extraction, with the expected counts', async () => {
    const { summary, counts } = await seed(driver, database(), [realSeed]);
    expect(summary.nodesCreated).toBe(79);
    expect(summary.relationshipsCreated).toBe(112);
    expect(await graphCounts(driver)).toEqual(EXPECTED_COUNTS);
    // The counts follow from the file, not from this test: one node per listed entity.
    const doc = parse(realSeedText()) as Record<string, unknown[]>;
    expect(counts.labels.Organisation).toBe(doc.organisations?.length);
    expect(counts.labels.Programme).toBe(doc.programmes?.length);
    expect(counts.labels.Country).toBe(doc.countries?.length);
  });

  it('changes nothing when run a second time', async () => {
    const before = await graphFingerprint(driver);
    const { summary } = await seed(driver, database(), [realSeed]);
    expect(summary).toMatchObject({
      nodesCreated: 0,
      relationshipsCreated: 0,
      nodesDeleted: 0,
      relationshipsDeleted: 0,
    });
    expect(await graphFingerprint(driver)).toBe(before);
    expect(await graphCounts(driver)).toEqual(EXPECTED_COUNTS);
  });

  it('stores names in English and Dutch for every country, Kosovo as XK', async () => {
    const { records } = await driver.executeQuery(
      "MATCH (c:Country) WHERE c.code IN ['XK', 'ET', 'PH'] RETURN c.code AS code, c.nameEn AS en, c.nameNl AS nl, c.aliases AS aliases ORDER BY code",
    );
    expect(records.map((r) => r.toObject())).toEqual([
      { code: 'ET', en: 'Ethiopia', nl: 'Ethiopië', aliases: [] },
      { code: 'PH', en: 'Philippines', nl: 'Filipijnen', aliases: ['Filippijnen'] },
      { code: 'XK', en: 'Kosovo', nl: 'Kosovo', aliases: [] },
    ]);
  });

  it('answers the headline question: partners of Defence for Children in Ethiopia under a ministry grant', async () => {
    const { records } = await driver.executeQuery(
      `MATCH (us:Organisation {key: $us})-[ours:PARTICIPATES_IN]->(programme:Programme)
       WHERE $country IN ours.countries
          OR (ours.countries = [] AND EXISTS { (programme)-[:RUNS_IN]->(:Country {code: $country}) })
       MATCH (funder:Organisation {kind: $funderKind})-[:OWNS*0..1]->()-[:FUNDS]->(programme)
       MATCH (partner:Organisation)-[theirs:PARTICIPATES_IN]->(programme)
       WHERE partner <> us AND (theirs.countries = [] OR $country IN theirs.countries)
       RETURN partner.name AS partner, theirs.role AS role, programme.name AS programme, funder.name AS funder
       ORDER BY partner`,
      { us: 'defence-for-children', country: 'ET', funderKind: 'MINISTRY' },
    );
    expect(records.map((r) => r.toObject())).toEqual([
      {
        partner: 'Plan International Nederland',
        role: 'LEAD',
        programme: 'Girls Advocacy Alliance',
        funder: 'Ministerie van Buitenlandse Handel en Ontwikkelingssamenwerking',
      },
      {
        partner: 'Terre des Hommes',
        role: 'PARTNER',
        programme: 'Girls Advocacy Alliance',
        funder: 'Ministerie van Buitenlandse Handel en Ontwikkelingssamenwerking',
      },
      {
        partner: 'lokale samenwerkingspartners (Girls Advocacy Alliance)',
        role: 'LOCAL_PARTNER',
        programme: 'Girls Advocacy Alliance',
        funder: 'Ministerie van Buitenlandse Handel en Ontwikkelingssamenwerking',
      },
    ]);
  });

  it('keeps the provenance of every relationship: a quote that occurs on the page', async () => {
    const { records } = await driver.executeQuery(
      'MATCH ()-[r]->() RETURN count(r) AS all, count(r.quote) AS quoted, collect(DISTINCT r.source) AS sources',
    );
    const row = records[0]?.toObject() as { all: number; quoted: number; sources: string[] };
    expect(row.quoted).toBe(row.all);
    expect(row.sources).toEqual(['institutionele-donoren']);
  });

  it('removes facts a re-import no longer contains, and nothing else', async () => {
    const withoutTui = writeSeed(
      realSeedText()
        .replace("  - key: tui\n    name: TUI\n    kind: COMPANY\n    quote: 'TUI'\n", '')
        .replace(
          'koninklijke-marechaussee, nationale-politie, anvr, tui]',
          'koninklijke-marechaussee, nationale-politie, anvr]',
        ),
    );
    const { summary } = await seed(driver, database(), [withoutTui]);
    expect(summary).toMatchObject({
      nodesCreated: 0,
      nodesDeleted: 1,
      relationshipsDeleted: 1,
      relationshipsCreated: 0,
    });
    const counts = await graphCounts(driver);
    expect(counts.Organisation).toBe(35);
    expect(counts['-[PARTICIPATES_IN]->']).toBe(43);
    await seed(driver, database(), [realSeed]);
    expect(await graphCounts(driver)).toEqual(EXPECTED_COUNTS);
  });

  it("shares what two sources both name, and removes a source's facts without touching the other's", async () => {
    const page =
      'Defence for Children voert het project Voorbeeld uit in Ghana, gefinancierd door het Fonds X.';
    const second = (withUs: boolean) =>
      writeSource(
        'tweede-pagina',
        page,
        [
          'source: { key: tweede-pagina, title: Tweede pagina, file: tweede-pagina.txt, language: nl, publisher: ' +
            (withUs ? 'defence-for-children' : 'fonds-x-owner') +
            ' }',
          "countries: [{ code: GH, quote: 'Ghana' }]",
          'organisations:',
          ...(withUs
            ? [
                "  - { key: defence-for-children, name: Defence for Children, kind: NGO, quote: 'Defence for Children' }",
              ]
            : []),
          "  - { key: fonds-x-owner, name: Eigenaar van Fonds X, kind: UNNAMED_GROUP, named: false, quote: 'Fonds X' }",
          "programmes: [{ key: voorbeeld, name: Voorbeeld, type: PROJECT, quote: 'het project Voorbeeld' }]",
          'relations:',
          "  - { type: FUNDS, from: fonds-x-owner, to: voorbeeld, quote: 'gefinancierd door het Fonds X' }",
          "  - { type: RUNS_IN, from: voorbeeld, to: GH, quote: 'in Ghana' }",
          ...(withUs
            ? [
                "  - { type: PARTICIPATES_IN, from: defence-for-children, to: voorbeeld, role: IMPLEMENTING, countries: [GH], quote: 'Defence for Children voert het project Voorbeeld uit in Ghana' }",
              ]
            : []),
        ].join('\n'),
      );
    await seed(driver, database(), [realSeed, second(true)]);
    const sources = async () =>
      (
        await driver.executeQuery(
          "MATCH (o:Organisation {key: 'defence-for-children'}) RETURN o.sources AS s",
        )
      ).records[0]?.get('s') as string[];
    expect(await sources()).toEqual(['institutionele-donoren', 'tweede-pagina']);
    const counts = await graphCounts(driver);
    expect(counts.Organisation).toBe(EXPECTED_COUNTS.Organisation + 1);
    expect(counts.Programme).toBe(EXPECTED_COUNTS.Programme + 1);
    expect(counts.Country).toBe(EXPECTED_COUNTS.Country);

    // The second page no longer names us: our node stays (the first page names it), its facts go.
    const { summary } = await seed(driver, database(), [second(false)]);
    expect(summary).toMatchObject({ nodesDeleted: 0, relationshipsDeleted: 1 });
    expect(await sources()).toEqual(['institutionele-donoren']);
    const ours = await driver.executeQuery(
      "MATCH (:Organisation {key: 'defence-for-children'})-[r:PARTICIPATES_IN]->(p) RETURN count(r) AS n, collect(DISTINCT r.source) AS s",
    );
    expect(ours.records[0]?.toObject()).toEqual({ n: 10, s: ['institutionele-donoren'] });

    await driver.executeQuery(
      "MATCH (n) WHERE n.sources = ['tweede-pagina'] OR n.key = 'tweede-pagina' DETACH DELETE n",
    );
    await seed(driver, database(), [realSeed]);
    expect(await graphCounts(driver)).toEqual(EXPECTED_COUNTS);
  });

  describe('rejects bad input with a clear message and leaves the database as it was', () => {
    // Every kind of bad input is checked without a database (src/ingest/page/validate.test.ts);
    // these prove that a rejected import leaves the database exactly as it was.
    const cases: { name: string; file: () => string; message: RegExp }[] = [
      {
        name: 'broken YAML',
        file: () => seedWith('  - key: cancun\n', '  - key: [cancun\n'),
        message: /changed\.yaml:\d+:\d+: YAML syntax error/,
      },
      {
        name: 'invented quote',
        file: () => seedWith("quote: 'Nationale Politie'", "quote: 'Nationale Politie Amsterdam'"),
        message: /quote not found on the page: "Nationale Politie Amsterdam"/,
      },
    ];

    for (const { name, file, message } of cases) {
      it(name, async () => {
        const before = await graphFingerprint(driver);
        const bad = file();
        const error = await seed(driver, database(), [bad]).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ImportValidationError);
        expect((error as Error).message).toMatch(/nothing was written/);
        expect((error as Error).message).toMatch(message);
        expect(await graphFingerprint(driver)).toBe(before);
      });
    }

    it('two files with the same source key', async () => {
      const before = await graphFingerprint(driver);
      const error = await seed(driver, database(), [realSeed, writeSeed(realSeedText())]).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ImportValidationError);
      expect((error as Error).message).toMatch(
        /source\.key: source key "institutionele-donoren" is also used by seeds\/institutionele-donoren\.yaml — each file is one source/,
      );
      expect(await graphFingerprint(driver)).toBe(before);
    });

    it('through the CLI: exit code 1, the problem on stderr, the database untouched', async () => {
      const before = await graphFingerprint(driver);
      const bad = seedWith("quote: 'Nationale Politie'", "quote: 'Nationale Politie Utrecht'");
      const run = promisify(execFile)(
        path.join(projectRoot, 'node_modules/.bin/tsx'),
        ['src/ingest/cli.ts', bad],
        {
          cwd: projectRoot,
        },
      );
      const failure = await run.then(
        () => ({ code: 0, stderr: '' }),
        (e: { code: number; stderr: string }) => e,
      );
      expect(failure.code).toBe(1);
      expect(failure.stderr).toMatch(/1 problem found; nothing was written/);
      expect(failure.stderr).toMatch(
        /changed\.yaml:\d+:\d+ organisations\[\d+\]\.quote: quote not found on the page: "Nationale Politie Utrecht"/,
      );
      expect(await graphFingerprint(driver)).toBe(before);
    });
  });
});
