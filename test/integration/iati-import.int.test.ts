/** The IATI import against the real Neo4j: mapping, resolution against the page, idempotence, replacement, bad input. */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Driver } from 'neo4j-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/config/index.js';
import { ImportValidationError } from '../../src/errors/expected.js';
import { importIati } from '../../src/ingest/iati/import-iati.js';
import { knownOrganisations } from '../../src/store/known-entities.js';
import { defaultSeedFiles, seed } from '../../src/ingest/ingest.js';
import { database, graphFingerprint, resetDatabase, testDriver } from '../support/neo4j.js';

const PORTFOLIO = path.join(projectRoot, 'test/fixtures/iati/portfolio.xml');
const EXAMPLE = path.resolve(
  projectRoot,
  '../shared/iati/examples/activity-standard-example-annotated.xml',
);

describe('IATI import', () => {
  let driver: Driver;
  const one = async <T = Record<string, unknown>>(cypher: string, params = {}) =>
    (
      await driver.executeQuery(cypher, params, { database: database() })
    ).records[0]?.toObject() as T;
  beforeAll(async () => {
    driver = testDriver();
    await resetDatabase(driver);
    await seed(driver, database(), defaultSeedFiles());
  });
  afterAll(() => driver.close());

  // The graph but for the Source's recorded joins: a join found anew (after an undo, or from
  // another path to the same file) may record another reason.
  const withoutMerges = async () => {
    const { records } = await driver.executeQuery(
      "MATCH (s:Source {key: 'iati-portfolio'}) WITH s, s.merges AS m REMOVE s.merges RETURN m",
    );
    const fingerprint = await graphFingerprint(driver);
    await driver.executeQuery("MATCH (s:Source {key: 'iati-portfolio'}) SET s.merges = $m", {
      m: records[0]?.get('m') as string[],
    });
    return fingerprint;
  };

  it('imports a portfolio: one node per real organisation, the page’s included', async () => {
    const s = await importIati(driver, database(), [PORTFOLIO]);
    expect(s).toMatchObject({ files: 1, activities: 2, transactions: 4, budgets: 1 });
    // Plan International Nederland of the page and NL-KVK-41198890 are one node.
    expect(
      await one(
        "MATCH (o:Organisation {iatiRef: 'NL-KVK-41198890'}) RETURN o.key AS key, o.name AS name, o.kind AS kind, o.sources AS sources",
      ),
    ).toEqual({
      key: 'plan-international-nederland',
      name: 'Plan International Nederland',
      kind: 'NGO',
      sources: ['iati-portfolio', 'institutionele-donoren'],
    });
    expect(await one("MATCH (o:Organisation {iatiRef: 'XM-DAC-7'}) RETURN o.key AS key")).toEqual({
      key: 'ministerie-buitenlandse-zaken',
    });
    // Named only in a transaction, in lower case: the page's Terre des Hommes (its English name).
    expect(
      await one(
        `MATCH (:Transaction {key: 'NL-KVK-41198890-GAA#transaction-2'})-[:RECEIVED_BY]->(o) RETURN o.key AS key`,
      ),
    ).toEqual({ key: 'terre-des-hommes-nederland' });
    // "EWLA" joins the full name that carries it; "… Foundation" stays apart.
    const ewla = await driver.executeQuery(
      "MATCH (o:Organisation) WHERE o.name STARTS WITH 'Ethiopian Women' RETURN o.key AS key, o.aliases AS aliases ORDER BY key",
    );
    expect(ewla.records.map((r) => r.toObject())).toEqual([
      { key: 'org-ethiopian-women-lawyers-association-ewla', aliases: ['EWLA'] },
      { key: 'org-ethiopian-women-lawyers-association-foundation', aliases: [] },
    ]);
    const merges = (
      await one<{ m: string[] }>("MATCH (s:Source {key: 'iati-portfolio'}) RETURN s.merges AS m")
    ).m;
    expect(merges).toContain(
      'test/fixtures/iati/portfolio.xml:25 iati-activity[1]/participating-org[3]: "Rijksdienst voor Ondernemend Nederland (RVO)" joined rvo ("Rijksdienst voor Ondernemend Nederland") — same name',
    );
    expect(merges).toContain(
      'test/fixtures/iati/portfolio.xml:90 iati-activity[2]/transaction[1]/receiver-org[1]: "EWLA" joined org-ethiopian-women-lawyers-association-ewla ("Ethiopian Women Lawyers Association (EWLA)") — acronym',
    );
    // The page's ministry keeps its kind; IATI adds the ref.
    expect(
      await one(
        "MATCH (o:Organisation {key: 'ministerie-buitenlandse-zaken'}) RETURN o.kind AS kind, o.iatiOrganisationType AS type",
      ),
    ).toEqual({ kind: 'MINISTRY', type: '10' });
  });

  it('keeps each name with the source that gives it, so that a re-import resolves against the other sources only', async () => {
    const SEP = '\u001f';
    const { n: byName } = await one<{ n: string[] }>(
      "MATCH (o:Organisation {key: 'rvo'}) RETURN o.namesBySource AS n",
    );
    const of = (source: string) =>
      byName.filter((x) => x.startsWith(source + SEP)).map((x) => x.slice(source.length + 1));
    const page = of('institutionele-donoren');
    expect(page).toEqual(expect.arrayContaining(['Rijksdienst voor Ondernemend Nederland', 'RVO']));
    // A spelling only the IATI file gives: an alias of the page's node now…
    const onlyIati = of('iati-portfolio').filter((n) => !page.includes(n));
    expect(onlyIati.length).toBeGreaterThan(0);
    const rvo = async (reading: string[]) =>
      (await knownOrganisations(driver, database(), reading)).find((o) => o.key === 'rvo');
    expect((await rvo([]))?.names).toEqual(expect.arrayContaining(onlyIati));
    // …but not evidence when that file is imported again: its own earlier import does not count.
    const again = await rvo(['iati-portfolio']);
    for (const name of onlyIati) expect(again?.names).not.toContain(name);
    expect(again?.names).toEqual(expect.arrayContaining(page.filter((n) => n !== again?.name)));
  });

  it('maps the activity, its roles, places, hierarchy and money, with the element behind each fact', async () => {
    expect(
      await one(
        `MATCH (p:Programme {key: 'NL-KVK-41198890-GAA'})
         RETURN p.name AS name, p.titles AS titles, p.titleLanguages AS langs, p.description AS description,
                p.activityStatus AS status, p.plannedStart AS plannedStart, p.actualStart AS actualStart,
                p.plannedEnd AS plannedEnd, p.startYear AS startYear, p.endYear AS endYear,
                p.defaultCurrency AS currency, p.hierarchy AS hierarchy`,
      ),
    ).toEqual({
      name: 'Girls Advocacy Alliance',
      titles: ['Meisjes Pleitbezorging Alliantie', 'Girls Advocacy Alliance'],
      langs: ['nl', 'en'],
      description: "Advocacy for girls' rights.",
      status: 'IMPLEMENTATION',
      plannedStart: '2016-01-01',
      actualStart: '2016-02-01',
      plannedEnd: '2020-12-31',
      startYear: 2016,
      endYear: 2020,
      currency: 'EUR',
      hierarchy: 1,
    });
    const roles = await driver.executeQuery(
      `MATCH (o:Organisation)-[r]->(:Programme {key: 'NL-KVK-41198890-GAA'})
       RETURN o.key AS org, type(r) AS type, r.role AS role, r.activity AS activity, r.path AS path, r.quote AS quote
       ORDER BY path`,
    );
    expect(
      roles.records.map((r): unknown[] => [
        r.get('org'),
        r.get('type'),
        r.get('role'),
        r.get('path'),
      ]),
    ).toEqual([
      ['ministerie-buitenlandse-zaken', 'FUNDS', null, 'iati-activity[1]/participating-org[1]'],
      [
        'plan-international-nederland',
        'PARTICIPATES_IN',
        'LEAD',
        'iati-activity[1]/participating-org[2]',
      ],
      // "Rijksdienst voor Ondernemend Nederland (RVO)" is the page's RVO.
      ['rvo', 'MANAGES', null, 'iati-activity[1]/participating-org[3]'],
      [
        'terre-des-hommes-nederland',
        'PARTICIPATES_IN',
        'IMPLEMENTING',
        'iati-activity[1]/participating-org[4]',
      ],
      // The reporting organisation's mention is a fact too.
      ['plan-international-nederland', 'REPORTS', null, 'iati-activity[1]/reporting-org[1]'],
    ]);
    const funds = roles.records[0];
    expect(funds?.get('activity')).toBe('NL-KVK-41198890-GAA');
    expect(funds?.get('quote')).toBe(
      '<participating-org ref="XM-DAC-7" role="1" type="10">\n      <narrative>Ministerie van Buitenlandse Zaken</narrative>\n    </participating-org>',
    );
    const places = await driver.executeQuery(
      `MATCH (:Programme {key: 'NL-KVK-41198890-GAA'})-[r:RUNS_IN]->(c)
       RETURN coalesce(c.code) AS code, labels(c)[0] AS label, r.percentage AS pct, c.name AS name ORDER BY code`,
    );
    expect(places.records.map((r) => r.toObject())).toEqual([
      { code: '289', label: 'Region', pct: 100, name: 'South of Sahara, regional' },
      { code: 'ET', label: 'Country', pct: 60, name: null },
      { code: 'KE', label: 'Country', pct: 40, name: null },
    ]);
    expect(
      await one(
        'MATCH (c:Programme)-[:PART_OF]->(p:Programme) RETURN c.key AS child, p.key AS parent, count(*) AS n',
      ),
    ).toEqual({ child: 'NL-KVK-41198890-GAA-ET', parent: 'NL-KVK-41198890-GAA', n: 1 });
    const money = await driver.executeQuery(
      `MATCH (p:Programme)-[:HAS_TRANSACTION]->(t:Transaction)
       OPTIONAL MATCH (t)-[:PROVIDED_BY]->(provider)
       OPTIONAL MATCH (t)-[:RECEIVED_BY]->(receiver)
       OPTIONAL MATCH (t)-[:TO_ACTIVITY]->(to)
       RETURN t.key AS key, t.type AS type, t.value AS value, t.currency AS currency, t.year AS year,
              provider.key AS provider, receiver.key AS receiver, to.key AS toActivity
       ORDER BY key`,
    );
    expect(money.records.map((r) => r.toObject())).toEqual([
      {
        key: 'NL-KVK-41198890-GAA#transaction-1',
        type: 'INCOMING_FUNDS',
        value: 50000,
        currency: 'USD',
        year: 2019,
        provider: 'ministerie-buitenlandse-zaken',
        // Named by no receiver-org: incoming funds are the reporting organisation's (IMPLIED).
        receiver: 'plan-international-nederland',
        toActivity: null,
      },
      {
        key: 'NL-KVK-41198890-GAA#transaction-2',
        type: 'DISBURSEMENT',
        value: 20000,
        currency: 'EUR',
        year: 2019,
        provider: 'plan-international-nederland',
        receiver: 'terre-des-hommes-nederland',
        toActivity: 'NL-KVK-41198890-GAA-ET',
      },
      {
        key: 'NL-KVK-41198890-GAA#transaction-3',
        type: 'DISBURSEMENT',
        value: 7500.5,
        currency: 'EUR',
        year: 2020,
        provider: 'plan-international-nederland',
        receiver: 'rvo',
        toActivity: null,
      },
      {
        key: 'NL-KVK-41198890-GAA-ET#transaction-1',
        type: 'EXPENDITURE',
        value: 150000,
        currency: 'ETB',
        year: 2019,
        provider: 'plan-international-nederland',
        receiver: 'org-ethiopian-women-lawyers-association-ewla',
        toActivity: null,
      },
    ]);
    expect(
      await one(
        "MATCH (:Transaction {key: 'NL-KVK-41198890-GAA#transaction-2'})-[r:PROVIDED_BY]->() RETURN r.basis AS basis, r.path AS path",
      ),
    ).toEqual({ basis: 'IMPLIED', path: 'iati-activity[1]/reporting-org[1]' });
    expect(
      await one(
        "MATCH (:Programme {key: 'NL-KVK-41198890-GAA'})-[:HAS_BUDGET]->(b) RETURN b.value AS value, b.currency AS currency, b.year AS year, b.kind AS kind",
      ),
    ).toEqual({ value: 100000, currency: 'EUR', year: 2019, kind: 'BUDGET' });
  });

  it('changes nothing when the same file is imported again: not written, or written with --force', async () => {
    const before = await graphFingerprint(driver);
    const again = await importIati(driver, database(), [PORTFOLIO]);
    // The same bytes, completely imported by the same importer: checked, not written again.
    expect(again).toMatchObject({
      files: 1,
      sources: [],
      unchanged: ['iati-portfolio'],
      activities: 2,
      nodesCreated: 0,
    });
    expect(again.problems).toBe(0);
    const forced = await importIati(driver, database(), [PORTFOLIO], { force: true });
    expect(forced).toMatchObject({
      files: 1,
      sources: ['iati-portfolio'],
      unchanged: [],
      activities: 2,
      nodesCreated: 0,
      relationshipsCreated: 0,
      nodesDeleted: 0,
      relationshipsDeleted: 0,
    });
    expect(await graphFingerprint(driver)).toBe(before);
    expect(
      await one(
        "MATCH (s:Source {key: 'iati-portfolio'}) RETURN s.fileSha256 AS sha, s.importFingerprint AS importer",
      ),
    ).toEqual({
      sha: createHash('sha256').update(readFileSync(PORTFOLIO)).digest('hex'),
      importer: expect.stringMatching(/^[0-9a-f]{64}$/) as string,
    });
  });

  it('writes an unchanged file again when what its import depends on changed', async () => {
    // Other corrections: another importer, as far as the result goes.
    const other = await importIati(driver, database(), [PORTFOLIO], {
      sameAs: [['Plan Nederland', 'Plan International Nederland']],
    });
    expect(other).toMatchObject({ sources: ['iati-portfolio'], unchanged: [] });
    expect((await importIati(driver, database(), [PORTFOLIO])).sources).toEqual(['iati-portfolio']);
    // An import left INCOMPLETE is written again, however unchanged the file.
    await driver.executeQuery(
      "MATCH (s:Source {key: 'iati-portfolio'}) SET s.importStatus = 'INCOMPLETE'",
    );
    expect((await importIati(driver, database(), [PORTFOLIO])).sources).toEqual(['iati-portfolio']);
    expect(
      await one("MATCH (s:Source {key: 'iati-portfolio'}) RETURN s.importStatus AS status"),
    ).toEqual({ status: 'COMPLETE' });
    expect((await importIati(driver, database(), [PORTFOLIO])).unchanged).toEqual([
      'iati-portfolio',
    ]);
  });

  it('lets a newer version of a file replace what the older one said, and nothing the page says', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'funding-graph-iati-'));
    const newer = path.join(dir, 'portfolio.xml');
    const text = readFileSync(PORTFOLIO, 'utf8');
    const cut = text.indexOf(
      '    <transaction>\n      <transaction-type code="3"/>\n      <transaction-date iso-date="2020-03-15"/>',
    );
    const end = text.indexOf('</transaction>', cut) + '</transaction>\n'.length;
    writeFileSync(newer, text.slice(0, cut) + text.slice(end));
    const s = await importIati(driver, database(), [newer]);
    expect(s.transactions).toBe(3);
    expect(
      await one(
        "MATCH (t:Transaction {key: 'NL-KVK-41198890-GAA#transaction-3'}) RETURN count(t) AS n",
      ),
    ).toEqual({ n: 0 });
    // The page's organisations stay.
    expect(
      await one(
        "MATCH (o:Organisation {key: 'plan-international-nederland'}) RETURN o.sources AS s",
      ),
    ).toEqual({
      s: ['iati-portfolio', 'institutionele-donoren'],
    });
    await importIati(driver, database(), [PORTFOLIO]);
  });

  it('writes a large file in batches to the same graph, and an interrupted import is visible and converges', async () => {
    const clean = await graphFingerprint(driver);
    // One activity per transaction: the same graph as the single transaction gave.
    await importIati(driver, database(), [PORTFOLIO], { batchActivities: 1, force: true });
    expect(await graphFingerprint(driver)).toBe(clean);

    // Interrupted after its first batch (an exception in the progress report stands in for a
    // crash): the Source says INCOMPLETE; what was written stays; a re-run converges.
    const dir = mkdtempSync(path.join(tmpdir(), 'funding-graph-iati-'));
    const newer = path.join(dir, 'portfolio.xml');
    writeFileSync(
      newer,
      readFileSync(PORTFOLIO, 'utf8').replaceAll(
        'NL-KVK-41198890-GAA-ET',
        'NL-KVK-41198890-GAA-KE',
      ),
    );
    const crash = await importIati(driver, database(), [newer], {
      progress: {
        reading: () => {},
        done: () => {},
        writing: () => {
          throw new Error('interrupted');
        },
      },
      batchActivities: 1,
    }).catch((e: unknown) => e);
    expect((crash as Error).message).toBe('interrupted');
    expect(
      await one("MATCH (s:Source {key: 'iati-portfolio'}) RETURN s.importStatus AS status"),
    ).toEqual({
      status: 'INCOMPLETE',
    });
    await importIati(driver, database(), [newer], { batchActivities: 1 });
    expect(
      await one("MATCH (s:Source {key: 'iati-portfolio'}) RETURN s.importStatus AS status"),
    ).toEqual({
      status: 'COMPLETE',
    });
    expect(
      await one("MATCH (p:Programme {key: 'NL-KVK-41198890-GAA-ET'}) RETURN count(p) AS n"),
    ).toEqual({ n: 0 });
    expect(
      await one(
        "MATCH (:Programme {key: 'NL-KVK-41198890-GAA-KE'})-[:PART_OF]->(p) RETURN p.key AS parent",
      ),
    ).toEqual({ parent: 'NL-KVK-41198890-GAA' });
    // And back to the original file, in one transaction: exactly the clean graph again.
    await importIati(driver, database(), [PORTFOLIO]);
    expect(await graphFingerprint(driver)).toBe(clean);
  });

  it('undoes a wrong join when a keep-apart pair says so, and joins again without it', async () => {
    const clean = await withoutMerges();
    const receiver = async () =>
      (
        await one<{ key: string }>(
          "MATCH (:Transaction {key: 'NL-KVK-41198890-GAA#transaction-3'})-[:RECEIVED_BY]->(o) RETURN o.key AS key",
        )
      ).key;
    expect(await receiver()).toBe('rvo');
    const apart = await importIati(driver, database(), [PORTFOLIO], {
      keepApart: [['RVO', 'Rijksdienst voor Ondernemend Nederland']],
    });
    expect(await receiver()).toBe('org-rvo');
    expect(apart.merges.map((m) => m.joined)).not.toContain('RVO');
    // The full name still is the page's RVO.
    expect(
      await one(
        "MATCH (o:Organisation)-[:MANAGES]->(:Programme {key: 'NL-KVK-41198890-GAA'}) RETURN o.key AS key",
      ),
    ).toEqual({ key: 'rvo' });
    const again = await importIati(driver, database(), [PORTFOLIO], { keepApart: [] });
    expect(await receiver()).toBe('rvo');
    expect(again.merges.map((m) => m.joined)).toContain('RVO');
    expect(await withoutMerges()).toBe(clean);
  });

  it('imports from a URL the same as from the file', async () => {
    const clean = await withoutMerges();
    const server = createServer((req, res) => {
      if (req.url === '/files/portfolio.xml') {
        res.writeHead(200, { 'content-type': 'application/xml' });
        res.end(readFileSync(PORTFOLIO));
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      // Forced: the same bytes from a file would not be written again.
      const s = await importIati(
        driver,
        database(),
        [`http://127.0.0.1:${port}/files/portfolio.xml`],
        { force: true },
      );
      expect(s).toMatchObject({
        sources: ['iati-portfolio'],
        activities: 2,
        nodesCreated: 0,
        relationshipsCreated: 0,
      });
      const missing = await importIati(driver, database(), [
        `http://127.0.0.1:${port}/files/none.xml`,
      ]).catch((e: unknown) => e);
      expect((missing as Error).message).toMatch(
        /none\.xml: HTTP 404 — the URL does not give a file/,
      );
    } finally {
      server.close();
    }
    // The Source now names the URL as its file; the file import names the path again.
    await importIati(driver, database(), [PORTFOLIO]);
    expect(await withoutMerges()).toBe(clean);
  });

  it('imports the Standard’s annotated example, field by field', async () => {
    const s = await importIati(driver, database(), [EXAMPLE]);
    expect(s).toMatchObject({ activities: 1, transactions: 1, budgets: 3 });
    expect(
      await one(
        `MATCH (p:Programme {key: 'AA-AAA-123456789-ABC123'})
         RETURN p.name AS name, p.titleLanguages AS langs, p.activityStatus AS status, p.hierarchy AS hierarchy,
                p.plannedStart AS plannedStart, p.actualStart AS actualStart, p.plannedEnd AS plannedEnd, p.defaultCurrency AS currency`,
      ),
    ).toEqual({
      name: 'Activity title',
      langs: ['en', 'fr', 'es'],
      status: 'IMPLEMENTATION',
      hierarchy: 1,
      plannedStart: '2012-04-15',
      actualStart: '2012-04-28',
      plannedEnd: '2015-12-31',
      currency: 'USD',
    });
    // The example's refs use placeholder prefixes (AA-AAA, BB-BBB, CC-CCC): no registration
    // agency, so no identifier — the organisations are known by their names, and the raw ref
    // stays in the quote of each fact.
    const orgs = await driver.executeQuery(
      `MATCH (o:Organisation)-[r]->(:Programme {key: 'AA-AAA-123456789-ABC123'}) WHERE NOT r:REPORTS
       RETURN o.name AS name, o.iatiRef AS ref, o.kind AS kind, type(r) AS type, r.quote CONTAINS 'ref="' + $refs[o.name] + '"' AS quoted
       ORDER BY name`,
      {
        refs: {
          'Name of Agency A': 'AA-AAA-123456789',
          'Name of Agency B': 'BB-BBB-123456789',
          'Name of Agency C': 'CC-CCC-123456789',
        },
      },
    );
    expect(orgs.records.map((r) => r.toObject())).toEqual([
      {
        name: 'Name of Agency A',
        ref: null,
        kind: 'INTERNATIONAL_NGO',
        type: 'MANAGES',
        quoted: true,
      },
      { name: 'Name of Agency B', ref: null, kind: 'MULTILATERAL', type: 'FUNDS', quoted: true },
      {
        name: 'Name of Agency C',
        ref: null,
        kind: 'GOVERNMENT',
        type: 'PARTICIPATES_IN',
        quoted: true,
      },
    ]);
    expect(
      await one(
        `MATCH (:Programme {key: 'AA-AAA-123456789-ABC123'})-[:HAS_TRANSACTION]->(t)-[:PROVIDED_BY]->(p), (t)-[:RECEIVED_BY]->(r)
         RETURN t.value AS value, t.currency AS currency, t.type AS type, t.date AS date, p.name AS provider, r.name AS receiver`,
      ),
    ).toEqual({
      value: 1000,
      currency: 'EUR',
      type: 'INCOMING_FUNDS',
      date: '2012-01-01',
      provider: 'Agency B',
      receiver: 'Agency A',
    });
    // A planned disbursement's provider and receiver are facts too, quoted and traceable.
    const planned = await driver.executeQuery(
      `MATCH (:Programme {key: 'AA-AAA-123456789-ABC123'})-[:HAS_BUDGET]->(b:Budget {kind: 'PLANNED_DISBURSEMENT'})
       MATCH (b)-[r:PROVIDED_BY|RECEIVED_BY]->(o)
       RETURN b.key AS budget, type(r) AS type, o.name AS org, r.path AS path, r.quote CONTAINS o.name AS quoted
       ORDER BY budget, type`,
    );
    expect(planned.records.map((r) => r.toObject())).toContainEqual({
      budget: 'AA-AAA-123456789-ABC123#planned-disbursement-1',
      type: 'PROVIDED_BY',
      org: 'Agency B',
      path: expect.stringMatching(/planned-disbursement\[1\]\/provider-org\[1\]$/) as unknown,
      quoted: true,
    });
    expect(planned.records.map((r) => r.toObject())).toContainEqual({
      budget: 'AA-AAA-123456789-ABC123#planned-disbursement-1',
      type: 'RECEIVED_BY',
      org: 'Agency A',
      path: expect.stringMatching(/planned-disbursement\[1\]\/receiver-org\[1\]$/) as unknown,
      quoted: true,
    });
    const places = await driver.executeQuery(
      "MATCH (:Programme {key: 'AA-AAA-123456789-ABC123'})-[r:RUNS_IN]->(c) RETURN c.code AS code, r.percentage AS pct ORDER BY code",
    );
    expect(places.records.map((r) => r.toObject())).toEqual([
      { code: '489', pct: 25 },
      { code: 'AF', pct: 25 },
      { code: 'AG', pct: 25 },
    ]);
  });

  it('with --strict, refuses a bad file with located problems, writing nothing — also through the CLI', async () => {
    const before = await graphFingerprint(driver);
    const dir = mkdtempSync(path.join(tmpdir(), 'funding-graph-iati-bad-'));
    const bad = path.join(dir, 'bad.xml');
    copyFileSync(PORTFOLIO, bad);
    writeFileSync(
      bad,
      readFileSync(PORTFOLIO, 'utf8')
        .replace(
          '<recipient-country code="KE" percentage="40"/>',
          '<recipient-country code="XQ" percentage="40"/>',
        )
        .replace(
          '<value currency="USD" value-date="2019-02-01">50000</value>',
          '<value currency="USD" value-date="2019-02-01">fifty</value>',
        ),
    );
    const error = await importIati(driver, database(), [bad], { strict: true }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ImportValidationError);
    const message = (error as Error).message;
    expect(message).toMatch(/nothing was written/);
    expect(message).toMatch(
      /bad\.xml:36:\d+ iati-activity\[1\]\/recipient-country\[2\]: warning: code="XQ" is not in the Country codelist/,
    );
    expect(message).toMatch(
      /bad\.xml:46 .*: Element 'value': 'fifty' is not a valid value of the atomic type 'xs:decimal'/,
    );
    expect(await graphFingerprint(driver)).toBe(before);

    const run = promisify(execFile)(
      path.join(projectRoot, 'node_modules/.bin/tsx'),
      ['src/ingest/iati/cli.ts', 'import', '--strict', bad, dir],
      {
        cwd: projectRoot,
      },
    );
    const failure = await run.then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(failure.code).toBe(1);
    expect(failure.stderr).toMatch(/is not in the Country codelist/);
    expect(await graphFingerprint(driver)).toBe(before);

    // Without --strict the file goes in, less the unknown country and the broken transaction.
    const lenient = await importIati(driver, database(), [bad]);
    expect(lenient).toMatchObject({
      activities: 2,
      activitiesSkipped: 0,
      elementsDropped: 1,
      moneySkipped: 1,
      problems: 2,
    });
    expect(
      await one(
        `MATCH (p:Programme {key: 'NL-KVK-41198890-GAA'})
         RETURN [(p)-[r:RUNS_IN {source: 'iati-bad'}]->(c:Country) | c.code] AS countries,
                count { (p)-[:HAS_TRANSACTION {source: 'iati-bad'}]->() } AS transactions`,
      ),
    ).toEqual({ countries: ['ET'], transactions: 2 });
  });
});
