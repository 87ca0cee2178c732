/**
 * IATI activities → **graph rows** (the mapping table in the README):
 *   activity → Programme (key: iati-identifier); reporting-org and participating-org →
 *   Organisation (resolved: one node per real organisation; reporting-org → REPORTS); role 1 Funding → FUNDS,
 *   2 Accountable → PARTICIPATES_IN LEAD, 3 Extending → MANAGES, 4 Implementing →
 *   PARTICIPATES_IN IMPLEMENTING; recipient-country / recipient-region → RUNS_IN with
 *   percentage; sector (DAC vocabularies 1 and 2, of the activity or a transaction) → IN_SECTOR
 *   with percentage; related-activity 1/2 → PART_OF; budget / planned-disbursement → Budget
 *   (with the provider and receiver a planned disbursement names);
 *   transaction → Transaction with provider, receiver and their activities.
 * Every relationship carries the element verbatim (quote), the activity and the element path.
 */
import { countryNames } from '../../countries/index.js';
import {
  ACTIVITY_STATUS,
  IATI_ORGANISATION_TYPE,
  KIND_OF_IATI_TYPE,
  TRANSACTION_TYPE,
} from '../../model/iati-codes.js';
import type { NodeLabel, OrganisationKind, RelationshipType } from '../../model/index.js';
import { boundedName } from '../../model/names.js';
import { factId, type GraphRows, type Props, type RelationshipGroup } from '../graph-rows.js';
import type { OrganisationResolver } from '../resolve/organisations.js';
import { tallyId } from '../resolve/refs.js';
import type { IatiActivity, IatiSector, Narrative, OrgMention } from './activity.js';
import { codelist } from './codelists.js';
import type { XmlElement } from './xml-reader.js';

/**
 * Transaction types whose provider (outgoing: commitment, disbursement, expenditure, pledge) or
 * receiver (incoming funds, commitment, pledge) is the reporting organisation when the
 * transaction does not name one.
 */
const IMPLIED_PARTY = {
  provider: new Set(['2', '3', '4', '12']),
  receiver: new Set(['1', '11', '13']),
};

/** Quotes are the element's XML, bounded: enough to recognise it, never a whole activity. */
const MAX_QUOTE = 2000;

export interface IatiSource {
  key: string;
  title: string;
  file: string;
  language: string;
  publisher: string;
  /** What the import took of the file (read-file.ts). */
  activitiesInFile: number;
  activitiesImported: number;
  activitiesSkipped: number;
  elementsDropped: number;
  moneySkipped: number;
  /** The file's SHA-256 and the importer's fingerprint (ingest/fingerprint.ts). */
  fileSha256: string;
  importFingerprint: string;
}

const preferred = (narratives: readonly Narrative[], lang: string) =>
  narratives.find((n) => n.lang === 'en') ??
  narratives.find((n) => n.lang === lang) ??
  narratives[0];

export function iatiGraphRows(
  source: IatiSource,
  activities: readonly IatiActivity[],
  resolver: OrganisationResolver,
  /** Keys of programmes already in the graph (for links to activities not in this file). */
  knownProgrammes: ReadonlySet<string>,
): GraphRows {
  const nodes: Record<NodeLabel, Props[]> = {
    Source: [{ ...source }],
    Organisation: [],
    Programme: [],
    Fund: [],
    Country: [],
    Place: [],
    Region: [],
    Sector: [],
    Transaction: [],
    Budget: [],
  };
  const organisations = new Map<string, Props>();
  const countries = new Set<string>();
  const regions = new Set<string>();
  const programmes = new Set([...knownProgrammes, ...activities.map((a) => a.identifier)]);
  const groups = new Map<string, RelationshipGroup>();
  // Fact ids already added: a fact stated twice (e.g. the same org as provider of many
  // transactions is one fact per transaction, but one role per programme) is written once.
  const written = new Set<string>();
  const add = (
    type: RelationshipType,
    from: { label: NodeLabel; key: string },
    to: { label: NodeLabel; key: string },
    props: Props,
    role?: string,
  ) => {
    const id = `${type}|${from.label}|${to.label}`;
    let group = groups.get(id);
    if (!group)
      groups.set(id, (group = { type, fromLabel: from.label, toLabel: to.label, rows: [] }));
    const fid = factId({ type, from: from.key, to: to.key, ...(role ? { role } : {}) });
    if (written.has(fid)) return;
    written.add(fid);
    group.rows.push({
      fid,
      from: from.key,
      to: to.key,
      props: { fid, ...props, source: source.key },
    });
  };

  const organisation = (
    m: OrgMention,
    activity: IatiActivity,
    reporting = false,
  ): { label: 'Organisation'; key: string } => {
    const names = m.names.map((n) => n.text);
    const key = resolver.resolve({
      ...(m.ref ? { ref: m.ref } : {}),
      names,
      where: `${source.file}:${m.element.line} ${m.element.path}`,
      activity: activity.identifier,
      tally: tallyId({
        ...(m.ref ? { ref: m.ref } : {}),
        ...(names[0] !== undefined ? { name: names[0] } : {}),
        reporting,
      }),
    });
    const known = resolver.organisation(key);
    const unnamed = resolver.unnamed.has(key);
    // What the graph already says of an organisation (its kind, the quote that names it) stays;
    // this source adds its ref and spellings.
    const kind = (known?.stored?.kind ??
      (unnamed
        ? 'UNNAMED_GROUP'
        : (m.type && KIND_OF_IATI_TYPE[m.type]) || 'UNSPECIFIED')) as OrganisationKind;
    const earlier = organisations.get(key);
    const name = known?.name ?? preferred(m.names, activity.lang)?.text ?? m.ref ?? key;
    const aliases = [...new Set([...((earlier?.aliases as string[]) ?? []), ...names])].filter(
      (a) => a !== name,
    );
    const stated = earlier !== undefined && earlier.kind !== 'UNSPECIFIED';
    organisations.set(key, {
      key,
      name,
      aliases,
      // A stated type wins over UNSPECIFIED; between two stated types, the first.
      kind: stated ? (earlier.kind ?? kind) : kind,
      iatiOrganisationType: stated
        ? (earlier.iatiOrganisationType ?? null)
        : IATI_ORGANISATION_TYPE[kind],
      iatiRef: known?.iatiRef ?? null,
      named: !unnamed,
      quote:
        known?.stored?.quote ??
        (earlier?.quote as string | undefined) ??
        quote(m.element, activity),
    });
    return { label: 'Organisation', key };
  };

  const sectors = new Set<string>();
  /** The Sector node of a DAC code (names from IATI's codelists), added once per batch. */
  const sectorNode = (sector: IatiSector): { label: 'Sector'; key: string } => {
    const key = sectorKey(sector.vocabulary, sector.code);
    if (!sectors.has(key)) {
      sectors.add(key);
      const list = sector.vocabulary === '1' ? 'Sector' : 'SectorCategory';
      const category = sector.code.slice(0, 3);
      nodes.Sector.push({
        key,
        code: sector.code,
        vocabulary: sector.vocabulary,
        name:
          codelist(list).codes.get(sector.code) ??
          codelist(list).withdrawn.get(sector.code) ??
          sector.code,
        category,
        categoryName: codelist('SectorCategory').codes.get(category) ?? category,
      });
    }
    return { label: 'Sector', key };
  };

  for (const a of activities) {
    const programme = { label: 'Programme' as const, key: a.identifier };
    const title = preferred(a.titles, a.lang);
    const name = title ? boundedName(title.text) : a.identifier;
    const description = preferred(a.descriptions, a.lang);
    const date = (type: string) => a.dates[type] ?? null;
    const start = a.dates['2'] ?? a.dates['1'];
    const end = a.dates['4'] ?? a.dates['3'];
    nodes.Programme.push({
      key: a.identifier,
      name,
      // A title cut to be the name stays findable whole.
      aliases: [...new Set(a.titles.map((t) => t.text))].filter((t) => t !== name),
      type: 'PROJECT',
      description: description?.text ?? null,
      startYear: start ? Number(start.slice(0, 4)) : null,
      startMonth: start ? Number(start.slice(5, 7)) : null,
      endYear: end ? Number(end.slice(0, 4)) : null,
      iatiIdentifier: a.identifier,
      activityStatus: (a.status && ACTIVITY_STATUS[a.status]) || null,
      plannedStart: date('1'),
      actualStart: date('2'),
      plannedEnd: date('3'),
      actualEnd: date('4'),
      defaultCurrency: a.defaultCurrency ?? null,
      hierarchy: a.hierarchy ?? null,
      titles: a.titles.map((t) => t.text),
      titleLanguages: a.titles.map((t) => t.lang),
      descriptions: a.descriptions.map((d) => d.text),
      descriptionLanguages: a.descriptions.map((d) => d.lang),
      quote: quote(a.element.children.find((c) => c.name === 'title') ?? a.element, a),
    });
    const provenance = (e: XmlElement): Props => ({
      quote: quote(e, a),
      basis: 'STATED',
      activity: a.identifier,
      path: e.path,
    });

    // The publisher's own word on itself first (its type wins over what others say), recorded
    // as a fact, so that every mention can be traced to the node it became.
    add(
      'REPORTS',
      organisation(a.reportingOrg, a, true),
      programme,
      provenance(a.reportingOrg.element),
    );
    for (const p of a.participants) {
      const org = organisation(p, a);
      const facts: Record<string, () => void> = {
        '1': () => add('FUNDS', org, programme, { ...provenance(p.element), coFinancing: false }),
        '2': () =>
          add(
            'PARTICIPATES_IN',
            org,
            programme,
            { ...provenance(p.element), role: 'LEAD', iatiRole: '2', countries: [] },
            'LEAD',
          ),
        '3': () => add('MANAGES', org, programme, provenance(p.element)),
        '4': () =>
          add(
            'PARTICIPATES_IN',
            org,
            programme,
            { ...provenance(p.element), role: 'IMPLEMENTING', iatiRole: '4', countries: [] },
            'IMPLEMENTING',
          ),
      };
      facts[p.role]?.();
    }

    for (const c of a.countries) {
      if (!countries.has(c.code)) {
        countries.add(c.code);
        try {
          nodes.Country.push({ code: c.code, ...countryNames(c.code), aliases: [] });
        } catch {
          // A code of IATI's Country list that the ISO names library does not know.
          nodes.Country.push({ code: c.code, nameEn: c.code, nameNl: c.code, aliases: [] });
        }
      }
      add(
        'RUNS_IN',
        programme,
        { label: 'Country', key: c.code },
        { ...provenance(c.element), percentage: c.percentage ?? null },
      );
    }
    for (const r of a.regions) {
      if (!regions.has(r.code)) {
        regions.add(r.code);
        nodes.Region.push({ code: r.code, name: codelist('Region').codes.get(r.code) ?? r.code });
      }
      add(
        'RUNS_IN',
        programme,
        { label: 'Region', key: r.code },
        { ...provenance(r.element), percentage: r.percentage ?? null },
      );
    }
    for (const sector of a.sectors) {
      add('IN_SECTOR', programme, sectorNode(sector), {
        ...provenance(sector.element),
        percentage: sector.percentage ?? null,
      });
    }
    for (const r of a.related) {
      // 1: the related activity is the parent; 2: it is a child.
      if (r.type === '1' && programmes.has(r.ref))
        add('PART_OF', programme, { label: 'Programme', key: r.ref }, provenance(r.element));
      if (r.type === '2' && programmes.has(r.ref))
        add('PART_OF', { label: 'Programme', key: r.ref }, programme, provenance(r.element));
    }

    a.budgets.forEach((b) => {
      const key = `${a.identifier}#${b.kind === 'BUDGET' ? 'budget' : 'planned-disbursement'}-${position(b.element)}`;
      nodes.Budget.push({
        key,
        kind: b.kind,
        budgetType: b.type ?? null,
        periodStart: b.periodStart,
        periodEnd: b.periodEnd ?? null,
        year: Number(b.periodStart.slice(0, 4)),
        value: b.value,
        currency: b.currency,
        valueDate: b.valueDate,
        quote: quote(b.element, a),
      });
      add('HAS_BUDGET', programme, { label: 'Budget', key }, provenance(b.element));
      // A planned disbursement's provider and receiver, as it names them (no implied party:
      // IATI's rule for an unnamed one is about transactions).
      for (const [party, type] of [
        [b.provider, 'PROVIDED_BY'],
        [b.receiver, 'RECEIVED_BY'],
      ] as const) {
        if (party && (party.ref || party.names.length > 0)) {
          add(type, { label: 'Budget', key }, organisation(party, a), provenance(party.element));
        }
      }
    });

    a.transactions.forEach((t) => {
      const key = `${a.identifier}#transaction-${position(t.element)}`;
      const transaction = { label: 'Transaction' as const, key };
      nodes.Transaction.push({
        key,
        type: TRANSACTION_TYPE[t.type] ?? 'DISBURSEMENT',
        iatiTransactionType: t.type,
        date: t.date,
        year: Number(t.date.slice(0, 4)),
        value: t.value,
        currency: t.currency,
        valueDate: t.valueDate,
        providerName:
          (t.provider && preferred(t.provider.names, a.lang)?.text) ?? t.provider?.ref ?? null,
        receiverName:
          (t.receiver && preferred(t.receiver.names, a.lang)?.text) ?? t.receiver?.ref ?? null,
        quote: quote(t.element, a),
      });
      add('HAS_TRANSACTION', programme, transaction, provenance(t.element));
      for (const sector of t.sectors) {
        add('IN_SECTOR', transaction, sectorNode(sector), {
          ...provenance(sector.element),
          percentage: sector.percentage ?? null,
        });
      }
      for (const [side, type, activityType] of [
        ['provider', 'PROVIDED_BY', 'FROM_ACTIVITY'],
        ['receiver', 'RECEIVED_BY', 'TO_ACTIVITY'],
      ] as const) {
        const party = t[side];
        if (party && (party.ref || party.names.length > 0)) {
          add(type, transaction, organisation(party, a), provenance(party.element));
        } else if (a.reportingOrg && IMPLIED_PARTY[side].has(t.type)) {
          // The reporting organisation pays out what it disburses and takes in its incoming
          // funds when the transaction names no one else (IATI's rule), so it is IMPLIED.
          add(type, transaction, organisation(a.reportingOrg, a, true), {
            ...provenance(a.reportingOrg.element),
            basis: 'IMPLIED',
          });
        }
        if (party?.activityId && programmes.has(party.activityId)) {
          add(
            activityType,
            transaction,
            { label: 'Programme', key: party.activityId },
            provenance(party.element),
          );
        }
      }
    });
  }
  nodes.Organisation = [...organisations.values()];
  return { source: source.key, nodes, relationships: [...groups.values()] };
}

/**
 * An element's position among its same-name siblings in the file (`…/transaction[3]` → 3): the
 * key of a transaction or budget stays the same when one before it was skipped.
 */
const position = (e: XmlElement) => /\[(\d+)\]$/.exec(e.path)?.[1] ?? '1';

/** `DAC-12220` for a 5-digit purpose code, `DAC3-122` for a 3-digit category. */
export const sectorKey = (vocabulary: '1' | '2', code: string) =>
  `${vocabulary === '1' ? 'DAC' : 'DAC3'}-${code}`;

const lineStarts = new WeakMap<IatiActivity, number[]>();

/** The element's verbatim XML (cut from the activity's text from its start line), bounded. */
function quote(e: XmlElement, a: IatiActivity): string {
  let starts = lineStarts.get(a);
  if (!starts) {
    starts = [0];
    for (let i = a.xml.indexOf('\n'); i >= 0; i = a.xml.indexOf('\n', i + 1)) starts.push(i + 1);
    lineStarts.set(a, starts);
  }
  const offset = starts[Math.max(0, e.line - a.element.line)] ?? 0;
  const open = `<${e.name}`;
  const from = Math.max(a.xml.indexOf(open, offset), 0);
  // The element ends at "/>" when it is empty, else at its own close tag.
  const tagEnd = a.xml.indexOf('>', from);
  let end: number;
  if (tagEnd > 0 && a.xml[tagEnd - 1] === '/') end = tagEnd + 1;
  else {
    const close = a.xml.indexOf(`</${e.name}>`, from + open.length);
    end = close < 0 ? a.xml.length : close + e.name.length + 3;
  }
  const xml = a.xml.slice(from, end).trim();
  return xml.length > MAX_QUOTE ? `${xml.slice(0, MAX_QUOTE)}…` : xml;
}
