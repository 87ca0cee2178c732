/**
 * Acceptance per activity: each problem costs the smallest part of the activity it breaks —
 * checked on small activities written the way real publishers write them (the cases come from
 * ../shared/iati/real/: a sector without its code, letter codes for transaction types, alpha-3
 * countries, a transaction without a currency, activities without a title).
 */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Problem } from '../../errors/expected.js';
import { MAX_NAME } from '../../model/names.js';
import { applyDecisions, decide, elementsOnPath } from './acceptance.js';
import { readActivity } from './activity.js';
import { readXml, type TopLevelElement } from './xml-reader.js';

async function activityOf(body: string): Promise<TopLevelElement> {
  const tops: TopLevelElement[] = [];
  await readXml(
    Readable.from([`<iati-activities version="2.03">${body}</iati-activities>`]),
    'test.xml',
    { root: () => {}, element: (t) => void tops.push(t) },
  );
  const top = tops[0];
  if (!top) throw new Error('no activity');
  return top;
}

const ACTIVITY = (inner: string) => `<iati-activity default-currency="EUR">
  <iati-identifier>XM-DAC-7-1</iati-identifier>
  <reporting-org ref="XM-DAC-7" type="10"><narrative>Ministry</narrative></reporting-org>
  <title><narrative>Water</narrative></title>
  ${inner}
</iati-activity>`;

const schemaProblem = (path: string, what: string): Problem => ({
  file: 'test.xml',
  line: 1,
  path,
  what,
  why: 'the file does not follow the IATI 2.03 schema',
});

describe('schema problems and what they cost', () => {
  it('finds the element a libxml2 path names, counting same-name siblings as saxes does', async () => {
    const top = await activityOf(
      ACTIVITY(
        '<sector code="12220"/><sector vocabulary="1"/><transaction><value>1</value></transaction>',
      ),
    );
    const chain = elementsOnPath(top.element, 'iati-activities/iati-activity/sector[2]');
    expect(chain?.map((e) => e.name)).toEqual(['iati-activity', 'sector']);
    expect(chain?.[1]?.attrs).toEqual({ vocabulary: '1' });
    expect(
      elementsOnPath(top.element, 'iati-activities/iati-activity/transaction/value')?.map(
        (e) => e.path,
      ),
    ).toEqual([
      'iati-activity[1]',
      'iati-activity[1]/transaction[1]',
      'iati-activity[1]/transaction[1]/value[1]',
    ]);
    expect(elementsOnPath(top.element, 'iati-activities/iati-activity/sector[3]')).toBeUndefined();
  });

  it('drops a sector without its code, skips a transaction with a broken value, skips the activity for its title', async () => {
    const top = await activityOf(
      ACTIVITY(`<sector code="12220"/><sector vocabulary="1"/>
        <transaction><transaction-type code="3"/><transaction-date iso-date="2020-01-01"/><value>-1e-10x</value></transaction>
        <transaction><transaction-type code="3"/><transaction-date iso-date="2020-01-01"/><value>5</value><sector vocabulary="1"/></transaction>`),
    );
    const decisions = decide(top.element, 'XM-DAC-7-1', [
      schemaProblem(
        'iati-activities/iati-activity/sector[2]',
        "Element 'sector': The attribute 'code' is required but missing.",
      ),
      schemaProblem(
        'iati-activities/iati-activity/transaction[1]/value',
        "Element 'value': '-1e-10x' is not a valid value of the atomic type 'xs:decimal'.",
      ),
      schemaProblem(
        'iati-activities/iati-activity/transaction[2]/sector',
        "Element 'sector': The attribute 'code' is required but missing.",
      ),
      schemaProblem(
        'iati-activities/iati-activity',
        "Element 'iati-activity', attribute 'dataset': The attribute 'dataset' is not allowed.",
      ),
    ]);
    expect(decisions.map((d) => [d.consequence.kind, d.problem.severity])).toEqual([
      ['dropped', 'warning'],
      ['skipped', 'warning'],
      ['dropped', 'warning'],
      ['ignored', 'warning'],
    ]);
    expect(decisions[0]?.problem).toMatchObject({
      path: 'iati-activity[1]/sector[2]',
      activity: 'XM-DAC-7-1',
      why: 'the file does not follow the IATI 2.03 schema; the <sector> is dropped',
    });
    applyDecisions(top.element, decisions);
    const problems: Problem[] = [];
    const activity = readActivity(top, 'test.xml', undefined, problems);
    expect(problems).toEqual([]);
    expect(activity?.sectors.map((s) => s.code)).toEqual(['12220']);
    expect(activity?.transactions.map((t) => [t.value, t.sectors.length])).toEqual([[5, 0]]);

    const titled = decide(top.element, 'XM-DAC-7-1', [
      schemaProblem(
        'iati-activities/iati-activity/title',
        "Element 'title': Missing child element(s).",
      ),
    ]);
    expect(titled[0]?.consequence.kind).toBe('activity skipped');
    expect(titled[0]?.problem.severity).toBe('error');
  });
});

describe('what the reader maps, drops and skips', () => {
  const read = async (inner: string, version?: string) => {
    const problems: Problem[] = [];
    const activity = readActivity(
      await activityOf(ACTIVITY(inner)),
      'test.xml',
      undefined,
      problems,
      () => {},
      version,
    );
    return { activity, problems };
  };

  it('reads each activity by its own version: a transaction type added in a later version is read with a warning', async () => {
    const money = ['3', '11', '12']
      .map(
        (code) =>
          `<transaction><transaction-type code="${code}"/><transaction-date iso-date="2020-04-01"/><value>1</value></transaction>`,
      )
      .join('');
    const warnings = async (version: string) => {
      const { activity, problems } = await read(money, version);
      // Read all the same: the code means what the later version defines.
      expect(activity?.transactions.map((t) => t.type)).toEqual(['3', '11', '12']);
      return problems.map((p) => `${p.severity}: ${p.what}`);
    };
    expect(await warnings('2.01')).toEqual([
      'warning: code="11" was added to the TransactionType codelist in version 2.02; this activity is version 2.01',
      'warning: code="12" was added to the TransactionType codelist in version 2.03; this activity is version 2.01',
    ]);
    expect(await warnings('2.02')).toEqual([
      'warning: code="12" was added to the TransactionType codelist in version 2.03; this activity is version 2.02',
    ]);
    expect(await warnings('2.03')).toEqual([]);
  });

  it('maps version-1 letter codes, role and date names and alpha-3 countries, with a warning each', async () => {
    const { activity, problems } = await read(`
      <participating-org role="Funding" ref="XM-DAC-7"><narrative>Ministry</narrative></participating-org>
      <activity-date type="START-ACTUAL" iso-date="2020-03-01"/>
      <recipient-country code="ETH"/>
      <transaction><transaction-type code="D"/><transaction-date iso-date="2020-04-01"/><value>10</value></transaction>
      <transaction><transaction-type code="C"/><transaction-date iso-date="2020-04-01"/><value>20</value></transaction>`);
    expect(activity?.participants.map((p) => p.role)).toEqual(['1']);
    expect(activity?.dates).toEqual({ '2': '2020-03-01' });
    expect(activity?.countries.map((c) => c.code)).toEqual(['ET']);
    expect(activity?.transactions.map((t) => t.type)).toEqual(['3', '2']);
    expect(problems.map((p) => [p.severity, p.what])).toEqual([
      ['warning', 'role="Funding" is a version-1 code'],
      ['warning', 'type="START-ACTUAL" is a version-1 code'],
      ['warning', 'code="ETH" is an ISO alpha-3 code'],
      ['warning', 'code="D" is a version-1 code'],
      ['warning', 'code="C" is a version-1 code'],
    ]);
    expect(problems[3]?.why).toBe('read as code="3" (Disbursement)');
  });

  it('drops unknown codes and nameless organisations, skips unusable money, keeps the rest', async () => {
    const { activity, problems } = await read(`
      <participating-org role="4"><narrative></narrative></participating-org>
      <recipient-country code="XX"/><recipient-country code="KE" percentage="100"/>
      <sector code="99999" vocabulary="1"/><sector code="122" vocabulary="2" percentage="50"/><sector code="A1" vocabulary="99"/>
      <transaction><transaction-type code="3"/><transaction-date iso-date="0"/><value>1</value></transaction>
      <transaction><transaction-type code="3"/><transaction-date iso-date="2020-01-01"/><value currency="XYZ">1</value></transaction>
      <budget><period-start iso-date="2020-01-01"/><value>7</value></budget>`);
    expect(activity?.participants).toEqual([]);
    expect(activity?.countries.map((c) => [c.code, c.percentage])).toEqual([['KE', 100]]);
    expect(activity?.sectors.map((s) => [s.vocabulary, s.code, s.percentage])).toEqual([
      ['2', '122', 50],
    ]);
    expect(activity?.transactions).toEqual([]);
    expect(activity?.budgets.map((b) => b.value)).toEqual([7]);
    expect(problems.map((p) => p.why.replace(/^.*; /, ''))).toEqual([
      'the <participating-org> is dropped',
      'the <recipient-country> is dropped',
      'the <sector> is dropped',
      'this transaction is skipped',
      'this transaction is skipped',
    ]);
  });

  it('cuts a paragraph written as a name to its first words, with a warning where it stands', async () => {
    // As in the covid-19 file: a partner's whole description in participating-org/narrative.
    const about = `KAALO Aid and Development is a non-profit humanitarian organization ${'working in Nugal and Mudug '.repeat(40)}`;
    const { activity, problems } = await read(`
      <participating-org role="4" type="24"><narrative>${about}</narrative><narrative xml:lang="so">KAALO</narrative></participating-org>`);
    const names = activity?.participants[0]?.names.map((n) => n.text) ?? [];
    expect(names[1]).toBe('KAALO');
    expect([...(names[0] ?? '')].length).toBeLessThanOrEqual(MAX_NAME);
    expect(names[0]?.endsWith('…')).toBe(true);
    expect(about.startsWith(names[0]?.slice(0, -1) ?? '-')).toBe(true);
    expect(problems).toEqual([
      expect.objectContaining({
        severity: 'warning',
        line: 6,
        path: 'iati-activity[1]/participating-org[1]/narrative[1]',
        what: `a name of ${about.trim().length} characters`,
      }),
    ]);
  });

  it('keeps a long title whole in titles, with a warning that the name is its first words', async () => {
    const title = `Strengthening ${'resilient water systems '.repeat(30)}`.trim();
    const problems: Problem[] = [];
    const activity = readActivity(
      await activityOf(
        ACTIVITY('').replace('<narrative>Water</narrative>', `<narrative>${title}</narrative>`),
      ),
      'test.xml',
      undefined,
      problems,
    );
    expect(activity?.titles.map((t) => t.text)).toEqual([title]);
    expect(problems.map((p) => [p.severity, p.path, p.what])).toEqual([
      [
        'warning',
        'iati-activity[1]/title[1]/narrative[1]',
        `a title of ${title.length} characters`,
      ],
    ]);
  });

  it('skips an activity without a title or a reporting organisation', async () => {
    const problems: Problem[] = [];
    const top = await activityOf(
      '<iati-activity><iati-identifier>X-1</iati-identifier><title/></iati-activity>',
    );
    expect(readActivity(top, 'test.xml', undefined, problems)).toBeUndefined();
    expect(problems.map((p) => [p.severity, p.what, p.activity])).toEqual([
      ['error', 'no reporting organisation', 'X-1'],
      ['error', 'no title', 'X-1'],
    ]);
  });
});
