/**
 * Compressed files as registry dumps come: `.xml.gz` read through gunzip as a stream, and a
 * `.gz` cut short or not gzip at all refused with a located problem, never a stack trace.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../config/index.js';
import { ImportValidationError } from '../../errors/expected.js';
import type { IatiActivity } from './activity.js';
import { scanIatiFile } from './read-file.js';
import { schemaChildren } from './schema-children.js';

const PORTFOLIO = path.join(projectRoot, 'test/fixtures/iati/portfolio.xml');

/** Scans `text` written to a file `name` in a folder of its own: the scan and its activities. */
async function scanText(name: string, text: string) {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'iati-unit-')), name);
  writeFileSync(file, text);
  const activities: IatiActivity[] = [];
  const scanned = await scanIatiFile(file, (a) => {
    activities.push(a);
  });
  return { scanned, activities };
}

describe('.xml.gz', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'iati-gz-unit-'));
  const zipped = gzipSync(readFileSync(PORTFOLIO));

  it('reads the activities of a gzipped file as of the plain one', async () => {
    const file = path.join(dir, 'portfolio.xml.gz');
    writeFileSync(file, zipped);
    const plain = await scanIatiFile(PORTFOLIO, () => {});
    const gz = await scanIatiFile(file, () => {});
    expect(gz.identifiers).toEqual(plain.identifiers);
    expect(gz.identifiers).toHaveLength(2);
  });

  it('refuses a .gz file cut short, or not gzip, saying so', async () => {
    const cut = path.join(dir, 'cut.xml.gz');
    writeFileSync(cut, zipped.subarray(0, Math.floor(zipped.length / 2)));
    const fake = path.join(dir, 'fake.xml.gz');
    writeFileSync(fake, readFileSync(PORTFOLIO));
    for (const file of [cut, fake]) {
      const error = await scanIatiFile(file, () => {}).catch((e: unknown) => e);
      expect(error, file).toBeInstanceOf(ImportValidationError);
      expect((error as ImportValidationError).problems[0]?.what).toMatch(
        /^not a complete gzip file/,
      );
    }
  });
});

describe('encodings', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'iati-enc-unit-'));
  // The portfolio with a reporting organisation named in letters beyond ASCII.
  const text = readFileSync(PORTFOLIO, 'utf8').replace(
    '<narrative>Plan International Nederland</narrative>',
    '<narrative>Plan International Nederland — Dansk Røde Kors, Médecins</narrative>',
  );
  const declared = (encoding: string) =>
    text.replace(
      '<?xml version="1.0" encoding="UTF-8"?>',
      `<?xml version="1.0" encoding="${encoding}"?>`,
    );
  const names = async (file: string) => {
    const seen: string[] = [];
    const scanned = await scanIatiFile(file, (a) => {
      seen.push(a.reportingOrg.names.map((n) => n.text).join(' / '));
    });
    return { identifiers: scanned.identifiers, names: seen };
  };
  const write = (name: string, bytes: Uint8Array) => {
    const file = path.join(dir, name);
    writeFileSync(file, bytes);
    return file;
  };

  it('reads a file in the encoding its XML declaration or byte order mark says, as the UTF-8 one', async () => {
    const utf8 = await names(write('utf8.xml', Buffer.from(text, 'utf8')));
    expect(utf8.names[0]).toBe('Plan International Nederland — Dansk Røde Kors, Médecins');
    // "—" is no ISO-8859-1 character: that file says it as windows-1252 does (0x97).
    const latin = Buffer.from(declared('ISO-8859-1').replace('—', '-'), 'latin1');
    expect(await names(write('latin1.xml', latin))).toEqual({
      ...utf8,
      names: utf8.names.map((n) => n.replace('—', '-')),
    });
    const bom = Buffer.from([0xff, 0xfe]);
    const utf16 = Buffer.concat([bom, Buffer.from(declared('UTF-16'), 'utf16le')]);
    expect(await names(write('utf16.xml', utf16))).toEqual(utf8);
    const utf8bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    expect(await names(write('utf8-bom.xml', utf8bom))).toEqual(utf8);
    // A declaration past the first chunk of a stream is still found (gzip hands small chunks).
    const gz = write('latin1.xml.gz', gzipSync(latin));
    expect((await names(gz)).names).toEqual(utf8.names.map((n) => n.replace('—', '-')));
  });

  it('refuses an encoding it cannot read, and bytes that are not text in the encoding said, saying where', async () => {
    const unknown = await scanIatiFile(
      write('klingon.xml', Buffer.from(declared('x-klingon'), 'utf8')),
      () => {},
    ).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(ImportValidationError);
    expect((unknown as ImportValidationError).problems[0]).toMatchObject({
      line: 1,
      what: 'encoding "x-klingon" is not one this importer can read',
    });
    // Latin-1 bytes in a file that declares nothing: not UTF-8.
    const undeclared = Buffer.from(
      text.replace('<?xml version="1.0" encoding="UTF-8"?>\n', ''),
      'latin1',
    );
    const bad = await scanIatiFile(write('undeclared.xml', undeclared), () => {}).catch(
      (e: unknown) => e,
    );
    expect(bad).toBeInstanceOf(ImportValidationError);
    // The first byte that is no UTF-8: the "ø" of the reporting organisation's name.
    const lines = text.replace('<?xml version="1.0" encoding="UTF-8"?>\n', '').split('\n');
    const line = lines.findIndex((l) => l.includes('Røde')) + 1;
    expect((bad as ImportValidationError).problems[0]).toMatchObject({
      what: 'not UTF-8 text',
      line,
      column: (lines[line - 1]?.indexOf('ø') ?? 0) + 1,
    });
  });
});

describe('a document type', () => {
  const original = readFileSync(PORTFOLIO, 'utf8');
  const withDoctype = (doctype: string, use = '') =>
    original
      .replace('<iati-activities', `${doctype}<iati-activities`)
      .replace('<narrative>', `<narrative>${use}`);
  const refused = async (text: string) => {
    const error = await scanText('doctype.xml', text).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportValidationError);
    return (error as ImportValidationError).problems;
  };

  it('refuses one that declares entities or points at an outside file, saying so, before any entity is used', async () => {
    const laughs = await refused(
      withDoctype(
        '<!DOCTYPE iati-activities [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>',
        '&b;',
      ),
    );
    expect(laughs).toHaveLength(1);
    expect(laughs[0]?.what).toMatch(
      /^the document type declares entities \(<!DOCTYPE iati-activities \[<!ENTITY a/,
    );
    expect(laughs[0]?.why).toMatch(/no entity is expanded or fetched; remove the DOCTYPE$/);
    const line = original.split('\n').findIndex((l) => l.includes('<iati-activities')) + 1;
    expect(laughs[0]?.line).toBe(line);
    const outside = await refused(
      withDoctype('<!DOCTYPE iati-activities SYSTEM "file:///etc/passwd">'),
    );
    expect(outside[0]?.what).toMatch(/^the document type points at an outside DTD/);
  });

  it('reads a file whose document type only names its root, as the file without it', async () => {
    const plain = await scanText('plain.xml', original);
    const named = await scanText('named.xml', withDoctype('<!DOCTYPE iati-activities>'));
    expect(named.activities).toEqual(plain.activities);
    expect(named.activities.length).toBeGreaterThan(0);
  });
});

describe('dates and codes as exporting systems write them', () => {
  const original = readFileSync(PORTFOLIO, 'utf8');
  const edits: [string, string][] = [
    [
      '<transaction-date iso-date="2019-02-01"/>',
      '<transaction-date iso-date="2019-02-01T00:00:00Z"/>',
    ],
    [
      '<value currency="USD" value-date="2019-02-01">',
      '<value currency="usd" value-date="2019-02-01T10:15:00+01:00">',
    ],
    [
      '<activity-date type="2" iso-date="2016-02-01"/>',
      '<activity-date type="2" iso-date="2016-02-01T09:30"/>',
    ],
    [
      '<recipient-country code="ET" percentage="60"/>',
      '<recipient-country code="ET" percentage="60 %"/>',
    ],
  ];
  const quirky = edits.reduce((text, [from, to]) => {
    expect(text).toContain(from);
    return text.replace(from, to);
  }, original);
  const read = (text: string) => scanText('portfolio.xml', text);

  it('reads a date with its time of day as the date, a currency in lower case in capitals and a percentage with its sign as the number: the money and the country are kept, each said once', async () => {
    const plain = await read(original);
    const { scanned, activities } = await read(quirky);
    // What the graph takes of them (the elements themselves keep what the file wrote).
    const money = (list: IatiActivity[]) =>
      list.map((a) => [
        a.dates,
        a.countries.map(({ code, percentage }) => ({ code, percentage })),
        a.transactions.map(({ type, date, value, currency, valueDate }) => ({
          type,
          date,
          value,
          currency,
          valueDate,
        })),
      ]);
    expect(money(activities)).toEqual(money(plain.activities));
    expect(money(activities)[0]?.[2]).toContainEqual({
      type: '1',
      date: '2019-02-01',
      value: 50000,
      currency: 'USD',
      valueDate: '2019-02-01',
    });
    expect(scanned.counts).toMatchObject({ moneySkipped: 0, elementsDropped: 0, mapped: 5 });
    const said = scanned.problems.map((p) => `${p.line}: ${p.why.split('; ').pop() ?? ''}`);
    expect(said).toEqual([
      '33: read as iso-date="2016-02-01"',
      '35: read as percentage="60"',
      '43: read as currency="USD"',
      '45: read as iso-date="2019-02-01"',
      '46: read as value-date="2019-02-01"',
    ]);
    expect(scanned.problems.every((p) => p.severity === 'warning')).toBe(true);
  });

  it('reads the version-1 sector vocabularies DAC and DAC-3 as 1 and 2', async () => {
    const region = '<recipient-region code="289" vocabulary="1" percentage="100"/>';
    const withSector = (vocabulary: string, code: string) =>
      original.replace(
        region,
        `${region}\n    <sector vocabulary="${vocabulary}" code="${code}"/>`,
      );
    for (const [v1, v2, code] of [
      ['DAC-3', '2', '151'],
      ['DAC', '1', '15110'],
    ] as const) {
      const now = await read(withSector(v2, code));
      const then = await read(withSector(v1, code));
      const sectors = (a: IatiActivity[]) =>
        a.map((x) => x.sectors.map(({ vocabulary, code: c }) => `${vocabulary}:${c}`));
      expect(sectors(then.activities), v1).toEqual(sectors(now.activities));
      expect(sectors(then.activities)[0], v1).toEqual([`${v2}:${code}`]);
      expect(
        then.scanned.problems.map((p) => p.why),
        v1,
      ).toEqual([`read as vocabulary="${v2}"`]);
    }
  });

  it('still skips money on a date that is no day of the calendar, with or without a time', async () => {
    for (const date of ['2019-02-30', '2019-02-30T00:00:00Z', '2019-13-01T10:00']) {
      const { scanned, activities } = await read(
        original.replace('iso-date="2019-02-01"/>', `iso-date="${date}"/>`),
      );
      expect(scanned.counts.moneySkipped, date).toBe(1);
      expect(
        activities[0]?.transactions.map((t) => t.date),
        date,
      ).not.toContain('2019-02-01');
    }
  });
});

describe('elements out of the schema’s order', () => {
  const original = readFileSync(PORTFOLIO, 'utf8');

  it('reads a budget written after the transactions where it stands', async () => {
    const budget = /\n {4}<budget type="1" status="2">[\s\S]*?<\/budget>/.exec(original)?.[0] ?? '';
    expect(budget).not.toBe('');
    const moved = original
      .replace(budget, '')
      .replace(
        '\n    <related-activity ref="NL-KVK-41198890-GAA-ET" type="2"/>',
        `${budget}\n    <related-activity ref="NL-KVK-41198890-GAA-ET" type="2"/>`,
      );
    const plain = await scanText('plain.xml', original);
    const { scanned, activities } = await scanText('moved.xml', moved);
    expect(activities.map((a) => a.budgets.map((b) => [b.kind, b.value, b.periodStart]))).toEqual(
      plain.activities.map((a) => a.budgets.map((b) => [b.kind, b.value, b.periodStart])),
    );
    expect(scanned.counts).toMatchObject({ moneySkipped: 0, elementsDropped: 0 });
    expect(scanned.problems.map((p) => p.why.split('; ').pop())).toEqual([
      'the <budget> is read where it stands: the reader finds the elements of <iati-activity> by name, in any order',
    ]);
  });

  it('still skips an activity with two identifiers: which one is it?', async () => {
    const { scanned, activities } = await scanText(
      'twice.xml',
      original.replace(
        '<iati-identifier>NL-KVK-41198890-GAA</iati-identifier>',
        '<iati-identifier>NL-KVK-41198890-GAA</iati-identifier>\n    <iati-identifier>NL-KVK-41198890-GAB</iati-identifier>',
      ),
    );
    expect(scanned.counts).toMatchObject({ activities: 2, skipped: 1 });
    expect(activities.map((a) => a.identifier)).toEqual(['NL-KVK-41198890-GAA-ET']);
  });

  it('still drops an element the schema has no place for there', async () => {
    const { scanned } = await scanText(
      'stray.xml',
      original.replace(
        '<transaction-date iso-date="2019-02-01"/>',
        '<transaction-date iso-date="2019-02-01"/><budget-line/>',
      ),
    );
    expect(scanned.counts).toMatchObject({ moneySkipped: 0, elementsDropped: 1 });
    expect(scanned.problems.map((p) => p.why.split('; ').pop())).toEqual([
      'the <budget-line> is dropped',
    ]);
  });
});

describe('schemaChildren', () => {
  it('knows what a declaration holds, inline or through its named type, whatever the order', () => {
    const xsd = `<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema">
      <xsd:element name="activity"><xsd:complexType><xsd:sequence>
        <xsd:element ref="title"/>
        <xsd:element name="budget"><xsd:complexType><xsd:sequence>
          <xsd:element name="value" type="xsd:decimal"/>
        </xsd:sequence></xsd:complexType></xsd:element>
      </xsd:sequence></xsd:complexType></xsd:element>
      <xsd:element name="title" type="textType"/>
      <xsd:complexType name="textType"><xsd:sequence>
        <xsd:element name="narrative" type="xsd:string"/>
      </xsd:sequence></xsd:complexType>
    </xsd:schema>`;
    const children = schemaChildren([xsd]);
    expect(children.get('activity')).toEqual(new Set(['title', 'budget']));
    expect(children.get('budget')).toEqual(new Set(['value']));
    expect(children.get('title')).toEqual(new Set(['narrative']));
  });
});
