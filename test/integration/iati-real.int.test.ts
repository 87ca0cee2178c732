/**
 * Real publishers' files (../shared/iati/real/, IATI data published openly by the organisations
 * named in them; origins in its README) go in whole: every usable activity imported, what was
 * left out reported with file:line and why, `--strict` still all-or-nothing, `.xml.gz` read as
 * a stream, sectors and money by sector answered through GraphQL.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import type { Driver } from 'neo4j-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/config/index.js';
import { ImportValidationError } from '../../src/errors/expected.js';
import { importIati } from '../../src/ingest/iati/import-iati.js';
import { boundedName, MAX_NAME } from '../../src/model/names.js';
import { defaultSeedFiles, seed } from '../../src/ingest/ingest.js';
import {
  database,
  graphCounts,
  graphFingerprint,
  resetDatabase,
  testDriver,
} from '../support/neo4j.js';
import { gql, startTestServer, type TestServer } from '../support/server.js';

const REAL = path.resolve(projectRoot, '../shared/iati/real');
const EBOLA = path.join(REAL, 'datastore-ebola-mixed-versions.xml');
const PAGE32 = path.join(REAL, 'dportal-page32-tdh-cordaid.xml');
/** 52 activities of the d-portal covid file (test/fixtures/resolution/). */
const SLICE = path.join(projectRoot, 'test/fixtures/resolution/dportal-covid19-slice.xml');
/** 3 activities of the d-portal covid file: partners described in a name, a 600-character title. */
const LONG_NAMES = path.join(projectRoot, 'test/fixtures/iati/covid19-long-names.xml');

interface ReportLine {
  file: string;
  line: number | null;
  column: number | null;
  path: string | null;
  severity: string;
  what: string;
  why: string;
  activity: string | null;
}

/** The `<iati-activity …>` blocks of a file, as text (for expectations the test computes itself). */
const activityBlocks = (xml: string) => xml.split(/<iati-activity[\s>]/).slice(1);

describe('real IATI files', () => {
  let driver: Driver;
  let server: TestServer;
  beforeAll(async () => {
    driver = testDriver();
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.close();
    await driver.close();
  });

  it('--strict refuses the Datastore extract (mixed versions, extra attributes) and writes nothing', async () => {
    const before = await graphFingerprint(driver);
    const error = await importIati(driver, database(), [EBOLA], { strict: true }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ImportValidationError);
    expect((error as Error).message).toMatch(/problems found; nothing was written/);
    expect((error as Error).message).toMatch(/IATI version "1\.03"/);
    expect(await graphFingerprint(driver)).toBe(before);
  });

  it('imports every usable activity of the Datastore extract and reports the rest, line by line', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'iati-report-'));
    const report = path.join(dir, 'report.jsonl');
    const s = await importIati(driver, database(), [EBOLA], { report });
    const xml = readFileSync(EBOLA, 'utf8');
    const versionOne = activityBlocks(xml).filter((a) => /^[^>]*\sversion="1\.0\d"/.test(a));
    expect(versionOne).toHaveLength(3);
    expect(s).toMatchObject({ activities: 100 - 3, activitiesSkipped: 3 });
    const lines = readFileSync(report, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as ReportLine);
    expect(lines).toHaveLength(s.problems);
    for (const l of lines) {
      expect(Object.keys(l).sort()).toEqual(
        ['activity', 'column', 'file', 'line', 'path', 'severity', 'what', 'why'].sort(),
      );
      expect(l.file).toBe(path.relative(process.cwd(), EBOLA));
      expect(l.line).toBeGreaterThan(0);
      expect(['error', 'warning']).toContain(l.severity);
    }
    const errors = lines.filter((l) => l.severity === 'error');
    expect(errors.map((e) => e.what).sort()).toEqual([
      'IATI version "1.03"',
      'IATI version "1.03"',
      'IATI version "1.04"',
    ]);
    // A transaction without a currency in an activity without default-currency is skipped, not
    // the activity: its other transactions and the programme are in the graph.
    const noCurrency = lines.filter((l) => l.what === 'no currency');
    expect(noCurrency.length).toBeGreaterThan(0);
    const activity = noCurrency[0]?.activity ?? '';
    const { records } = await driver.executeQuery(
      'MATCH (p:Programme {key: $activity}) RETURN count { (p)-[:HAS_TRANSACTION]->() } AS kept',
      { activity },
      { database: database() },
    );
    const block = activityBlocks(xml).find((a) => a.includes(`>${activity}<`)) ?? '';
    const inFile = (block.match(/<transaction[\s>]/g) ?? []).length;
    expect(Number(records[0]?.get('kept'))).toBe(
      inFile - noCurrency.filter((l) => l.activity === activity).length,
    );
    // A ref that holds a "|" (`DK-CVR-DK-CVR | Danish Central Busine`) leaks into no name: the
    // Danish MFA's activity is led by "Dansk Røde Kors" (accountable), as the file names it; and
    // the MFA, which names itself in quotation marks, is named without them.
    const danish = await driver.executeQuery(
      `MATCH (p:Programme {key: 'XM-DAC-3-1-284740-33987'})
       RETURN COLLECT { MATCH (o:Organisation)-[:PARTICIPATES_IN]->(p) RETURN o.name } AS leads,
              COLLECT { MATCH (o:Organisation)-[:PARTICIPATES_IN]->(p) RETURN o.iatiRef } AS leadRefs,
              COLLECT { MATCH (o:Organisation)-[:FUNDS]->(p) RETURN o.name } AS funders,
              COLLECT { MATCH (x:Organisation) WHERE x.name CONTAINS 'Danish Central Busine'
                        RETURN x.name } AS leaked`,
      {},
      { database: database() },
    );
    expect(danish.records[0]?.get('leads')).toEqual(['Dansk Røde Kors']);
    // …and the label is no identifier of it: an identifier holds no "|".
    expect(danish.records[0]?.get('leadRefs')).toEqual([null]);
    expect(danish.records[0]?.get('funders')).toEqual(['Ministry of Foreign Affairs, Denmark']);
    expect(danish.records[0]?.get('leaked')).toEqual([]);
    // The Source keeps the counts, visible through the API.
    const { body } = await gql<{ sources: Record<string, unknown>[] }>(
      server,
      `{ sources(where: { key: { eq: "iati-datastore-ebola-mixed-versions" } }) {
          activitiesInFile activitiesImported activitiesSkipped elementsDropped moneySkipped } }`,
    );
    expect(body.data?.sources).toEqual([
      {
        activitiesInFile: 100,
        activitiesImported: 97,
        activitiesSkipped: 3,
        elementsDropped: s.elementsDropped,
        moneySkipped: s.moneySkipped,
      },
    ]);
  });

  it('search ranks named organisations above the groups a real file leaves unnamed', async () => {
    // The Datastore extract (imported above, beside the page) has a participating-org named
    // only "INTERNATIONAL NGO": a placeholder, unnamed, which Lucene scores above the named
    // "InterAction's NGO Aid Map" for "ngo" (shorter name).
    const { body } = await gql<{ search: { type: string; name: string }[] }>(
      server,
      '{ search(phrase: "ngo", limit: 10) { type name } }',
    );
    const names = body.data?.search.map((h) => h.name) ?? [];
    expect(names).toContain('INTERNATIONAL NGO');
    expect(names.indexOf("InterAction's NGO Aid Map")).toBeGreaterThanOrEqual(0);
    expect(names.indexOf("InterAction's NGO Aid Map")).toBeLessThan(
      names.indexOf('INTERNATIONAL NGO'),
    );
  });

  it('reads .xml.gz as a stream: the same graph as the plain file', async () => {
    await resetDatabase(driver);
    await importIati(driver, database(), [PAGE32]);
    const plain = await graphCounts(driver);
    const dir = mkdtempSync(path.join(tmpdir(), 'iati-gz-'));
    const gz = path.join(dir, 'dportal-page32-tdh-cordaid.xml.gz');
    writeFileSync(gz, gzipSync(readFileSync(PAGE32)));
    await resetDatabase(driver);
    const s = await importIati(driver, database(), [dir]);
    expect(s.sources).toEqual(['iati-dportal-page32-tdh-cordaid']);
    expect(s.activities).toBe(100);
    expect(await graphCounts(driver)).toEqual(plain);
  });

  it('answers sectors and money by sector through GraphQL, as the file states them', async () => {
    const xml = readFileSync(PAGE32, 'utf8');
    // Activity-level DAC 5-digit sectors, counted from the text: outside transactions.
    const perCode = new Map<string, number>();
    for (const block of activityBlocks(xml)) {
      const own = block.replace(/<transaction[\s>][\s\S]*?<\/transaction>/g, '');
      const codes = new Set(
        [...own.matchAll(/<sector\b([^>]*)>/g)]
          .map((m) => m[1] ?? '')
          .filter((attrs) => !/vocabulary="(?!1")/.test(attrs))
          .map((attrs) => /code="(\d{5})"/.exec(attrs)?.[1])
          .filter((c): c is string => c !== undefined),
      );
      for (const c of codes) perCode.set(c, (perCode.get(c) ?? 0) + 1);
    }
    const [code, programmes] = [...perCode].sort((a, b) => b[1] - a[1])[0] ?? ['', 0];
    expect(programmes).toBeGreaterThan(1);
    const { body } = await gql<{
      sectors: { key: string; name: string; programmesConnection: { totalCount: number } }[];
    }>(
      server,
      `query ($key: String!) { sectors(where: { key: { eq: $key } }) { key name programmesConnection { totalCount } } }`,
      { key: `DAC-${code}` },
    );
    expect(body.data?.sectors).toEqual([
      {
        key: `DAC-${code}`,
        name: expect.stringMatching(/\w/) as string,
        programmesConnection: { totalCount: programmes },
      },
    ]);

    // Money by sector adds up to the money itself, per type and currency: shares never lose or
    // invent a cent (within rounding).
    const totals = await gql<{ moneyTotals: { type: string; currency: string; value: number }[] }>(
      server,
      '{ moneyTotals(groupBy: []) { type currency value } }',
    );
    // Every row, page by page (a page holds at most the server's page size).
    const summed = new Map<string, number>();
    let withSector = 0;
    for (let offset = 0; ; offset += 100) {
      const page = await gql<{
        moneyTotals: {
          sector: { key: string } | null;
          type: string;
          currency: string;
          value: number;
        }[];
      }>(
        server,
        'query ($offset: Int) { moneyTotals(groupBy: [SECTOR], limit: 100, offset: $offset) { sector { key } type currency value } }',
        { offset },
      );
      expect(page.status).toBe(200);
      const found = page.body.data?.moneyTotals ?? [];
      for (const r of found) {
        const k = `${r.type} ${r.currency}`;
        summed.set(k, (summed.get(k) ?? 0) + r.value);
        if (r.sector) withSector += 1;
      }
      if (found.length < 100) break;
    }
    expect(withSector).toBeGreaterThan(0);
    const rows = totals.body.data?.moneyTotals ?? [];
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      expect(summed.get(`${r.type} ${r.currency}`)).toBeCloseTo(r.value, 0);
    }
  });

  it('cuts a paragraph written as a name to its first words, reporting where; a long title stays whole in titles', async () => {
    await resetDatabase(driver);
    const dir = mkdtempSync(path.join(tmpdir(), 'iati-long-'));
    const report = path.join(dir, 'report.jsonl');
    const s = await importIati(driver, database(), [LONG_NAMES], { report });
    expect(s).toMatchObject({ activities: 3, activitiesSkipped: 0 });
    // What the file says, read by the test itself: the names and titles over the bound.
    const xml = readFileSync(LONG_NAMES, 'utf8');
    const text = (raw: string) =>
      raw
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&apos;/g, "'")
        .replace(/&amp;/g, '&')
        .replace(/\s+/g, ' ')
        .trim();
    const over = (re: RegExp) =>
      [...xml.matchAll(re)].map((m) => text(m[1] ?? '')).filter((t) => [...t].length > MAX_NAME);
    const longNames = over(/<participating-org[^>]*>\s*<narrative[^>]*>([^<]*)<\/narrative>/g);
    const longTitles = over(/<title>\s*<narrative[^>]*>([^<]*)<\/narrative>/g);
    expect(longNames.length).toBeGreaterThan(1);
    expect(longTitles).toHaveLength(1);

    const lines = readFileSync(report, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as ReportLine);
    const cut = lines.filter((l) => /^a (name|title) of \d+ characters$/.test(l.what));
    expect(cut.map((l) => l.what).sort()).toEqual(
      [
        ...longNames.map((t) => `a name of ${[...t].length} characters`),
        ...longTitles.map((t) => `a title of ${[...t].length} characters`),
      ].sort(),
    );
    const fileLines = xml.split('\n');
    for (const l of cut) {
      expect(l.severity).toBe('warning');
      expect(fileLines[(l.line ?? 0) - 1]).toMatch(/<narrative/);
      expect(l.path).toMatch(/\/(participating-org|title)\[\d+\]\/narrative\[\d+\]$/);
    }

    // Every name in the graph is bounded; each paragraph's organisation has its first words.
    const { records } = await driver.executeQuery(
      `MATCH (n:Organisation|Programme) RETURN max(size(n.name)) AS longest,
         collect(n.name) AS names`,
      {},
      { database: database() },
    );
    expect(Number(records[0]?.get('longest'))).toBeLessThanOrEqual(MAX_NAME);
    const names = records[0]?.get('names') as string[];
    for (const t of longNames) expect(names).toContain(boundedName(t));

    const title = longTitles[0] ?? '';
    const { body } = await gql<{ programmesNamed: { name: string; titles: string[] }[] }>(
      server,
      'query ($name: AnyName!) { programmesNamed(name: $name) { name titles } }',
      { name: title },
    );
    expect(body.errors).toBeUndefined();
    const found = body.data?.programmesNamed ?? [];
    expect(found.map((p) => p.name)).toEqual([boundedName(title)]);
    expect(found[0]?.titles).toContain(title);
  });

  it('gives the same graph whatever the order of the files, and a re-import changes nothing', async () => {
    // Two things follow the order by design: the Sources' recorded joins name where each join
    // was first seen, and home is the publisher of the first file imported into the empty graph.
    const graph = async () => {
      await driver.executeQuery('MATCH (s:Source) REMOVE s.merges', {}, { database: database() });
      await driver.executeQuery('MATCH (h:Setting) DELETE h', {}, { database: database() });
      return graphFingerprint(driver);
    };
    await resetDatabase(driver);
    await importIati(driver, database(), [EBOLA, PAGE32]);
    const forwards = await graph();
    await resetDatabase(driver);
    await importIati(driver, database(), [PAGE32, EBOLA]);
    expect(await graph()).toBe(forwards);
    // Written again (forced: unchanged files are otherwise only checked).
    const again = await importIati(driver, database(), [EBOLA, PAGE32], { force: true });
    expect(again).toMatchObject({
      sources: ['iati-datastore-ebola-mixed-versions', 'iati-dportal-page32-tdh-cordaid'],
      nodesCreated: 0,
      nodesDeleted: 0,
      relationshipsCreated: 0,
      relationshipsDeleted: 0,
    });
    expect(await graph()).toBe(forwards);
    // Three imports of two real files: 19–28 s alone, more beside the other test projects.
  }, 240_000);

  it('gives the same graph when the files are imported one after another, in any order, as together', async () => {
    // Besides the recorded joins and home (see above), merge records follow the order by design:
    // they say which keys an import retired. The Source's `file` is where it was read from.
    const graph = async () => {
      const db = { database: database() };
      await driver.executeQuery('MATCH (s:Source) REMOVE s.merges', {}, db);
      await driver.executeQuery('MATCH (h:Setting) DELETE h', {}, db);
      await driver.executeQuery('MATCH (m:OrganisationMerge) DELETE m', {}, db);
      return graphFingerprint(driver);
    };
    const fresh = async () => {
      await resetDatabase(driver);
      await seed(driver, database(), defaultSeedFiles());
    };
    await fresh();
    await importIati(driver, database(), [EBOLA, PAGE32, SLICE]);
    const together = await graph();

    await fresh();
    const rewritten: string[] = [];
    for (const file of [PAGE32, SLICE, EBOLA]) {
      const s = await importIati(driver, database(), [file]);
      expect(s.stale).toEqual([]);
      rewritten.push(...s.rewritten);
    }
    // A later file changed how an earlier one's organisations resolve (Save the Children with
    // the UK charity's ref in the Datastore extract, by name only on d-portal's page): the
    // earlier source was written again from its file.
    expect(rewritten).toContain('iati-dportal-page32-tdh-cordaid');
    expect(await graph()).toBe(together);

    await fresh();
    for (const file of [EBOLA, SLICE, PAGE32]) await importIati(driver, database(), [file]);
    expect(await graph()).toBe(together);
    // Each file again, in yet another order: nothing to write, nothing resolves differently.
    for (const file of [SLICE, EBOLA, PAGE32]) {
      const s = await importIati(driver, database(), [file]);
      expect(s).toMatchObject({ sources: [], rewritten: [], stale: [] });
    }
    expect(await graph()).toBe(together);
  }, 240_000);

  it('leaves a source as it is, with a warning, when its file is gone and it would resolve differently', async () => {
    await resetDatabase(driver);
    await seed(driver, database(), defaultSeedFiles());
    const dir = mkdtempSync(path.join(tmpdir(), 'iati-gone-'));
    const copy = path.join(dir, path.basename(PAGE32));
    writeFileSync(copy, readFileSync(PAGE32));
    await importIati(driver, database(), [copy]);
    const before = await graphCounts(driver);
    rmSync(copy);
    const s = await importIati(driver, database(), [EBOLA]);
    expect(s.rewritten).toEqual([]);
    expect(s.stale).toEqual([
      {
        source: 'iati-dportal-page32-tdh-cordaid',
        why: expect.stringMatching(/file not found/) as unknown,
      },
    ]);
    // Its nodes and facts stay; the Datastore extract resolved against them as they are.
    const after = await graphCounts(driver);
    expect(after.Source).toBe((before.Source ?? 0) + 1);
    const { records } = await driver.executeQuery(
      "MATCH (s:Source {key: 'iati-dportal-page32-tdh-cordaid'}) RETURN s.importStatus AS status",
      {},
      { database: database() },
    );
    expect(records[0]?.get('status')).toBe('COMPLETE');
  });

  it('through the CLI: --strict exits 1 naming the problem; without it, exit 0 and the counts', async () => {
    const run = (args: string[]) =>
      promisify(execFile)(
        path.join(projectRoot, 'node_modules/.bin/tsx'),
        ['src/ingest/iati/cli.ts', 'import', ...args],
        { cwd: projectRoot },
      ).then(
        ({ stdout }) => ({ code: 0, stdout, stderr: '' }),
        (e: { code: number; stdout: string; stderr: string }) => e,
      );
    const strict = await run(['--strict', EBOLA]);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/IATI version "1\.04"/);
    const lenient = await run([EBOLA]);
    expect(lenient.code).toBe(0);
    expect(lenient.stdout).toMatch(/97 activities \(3 skipped; \d+ elements dropped/);
    expect(lenient.stdout).toMatch(/problems: list them with --report FILE/);
    // Imported above, unchanged: checked, not written again; --force writes it, changing nothing.
    expect(lenient.stdout).toMatch(
      /nothing written\nnot written again, unchanged since .*: iati-datastore-ebola-mixed-versions/,
    );
    const forced = await run(['--force', EBOLA]);
    expect(forced.stdout).toMatch(/^imported 1 file in [\d.]+ s: 97 activities .* created, /m);
    const wrong = await run(['--strickt', EBOLA]);
    expect(wrong.code).toBe(2);
    expect(wrong.stdout).toMatch(/Unknown option '--strickt'/);
  });
});
