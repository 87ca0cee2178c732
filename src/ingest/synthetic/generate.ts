/**
 * A synthetic source for benchmarks: a deterministic funding graph of a given size, shaped like
 * real portfolios — a few hundred funders (ministries, agencies, foundations, EU bodies) and
 * the funds they own and agencies manage; programmes with one lead and a power-law number of
 * partners (most have one or two, a few dozens; a few organisations are partners everywhere);
 * ISO countries; periods between 2000 and 2026; budgets and transactions in several
 * currencies. It yields graph rows for the one writer, in batches, like any other source.
 * Pure: no database, no clock; the same size and seed give the same rows.
 */
import isoCountries from 'i18n-iso-countries';
import { countryNames } from '../../countries/index.js';
import { IATI_ORGANISATION_TYPE } from '../../model/iati-codes.js';
import { NODE_LABELS, type OrganisationKind } from '../../model/index.js';
import type { GraphRows, Props, RelationshipGroup, RelationshipRow } from '../graph-rows.js';
import { factId } from '../graph-rows.js';

export const SIZES = {
  tiny: { organisations: 200, programmes: 500, funders: 20 },
  small: { organisations: 5_000, programmes: 12_500, funders: 100 },
  medium: { organisations: 25_000, programmes: 62_500, funders: 200 },
  large: { organisations: 100_000, programmes: 250_000, funders: 300 },
} as const;
export type Size = keyof typeof SIZES;

/** mulberry32: a small, fast, seedable generator (uniform in [0, 1)). */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FUNDER_KINDS: OrganisationKind[] = [
  'MINISTRY',
  'GOVERNMENT_AGENCY',
  'FOUNDATION',
  'EU_BODY',
  'MULTILATERAL',
];
const PARTNER_KINDS: OrganisationKind[] = [
  'NGO',
  'INTERNATIONAL_NGO',
  'PARTNER_COUNTRY_NGO',
  'ACADEMIC',
  'COMPANY',
  'NETWORK',
];
const CURRENCIES = ['EUR', 'USD', 'GBP', 'SEK'];
const WORDS = ['Girls', 'Voice', 'Water', 'Justice', 'Health', 'Climate', 'Schools', 'Rights'];

export interface SyntheticSource {
  source: string;
  /** Graph rows in batches: organisations (5 × `batchProgrammes` a batch), then programmes. */
  batches: Generator<GraphRows>;
  totals: { organisations: number; programmes: number };
}

export function syntheticSource(
  size: Size,
  seed: number,
  batchProgrammes = 2_000,
): SyntheticSource {
  const shape = SIZES[size];
  const source = `synthetic-${size}-${seed}`;
  return {
    source,
    totals: { organisations: shape.organisations, programmes: shape.programmes },
    batches: batches(source, shape, seed, batchProgrammes),
  };
}

function* batches(
  source: string,
  shape: (typeof SIZES)[Size],
  seed: number,
  batchProgrammes: number,
): Generator<GraphRows> {
  const rnd = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
  const countries = Object.keys(isoCountries.getAlpha2Codes()).sort();
  // A few countries host most programmes, as in real portfolios.
  const country = () => countries[Math.floor(countries.length * rnd() ** 2)]!;
  const quote = (what: string) => `synthetic ${source}: ${what}`;
  const provenance = (what: string): Props => ({
    quote: quote(what),
    source,
    basis: 'STATED',
    activity: null,
    path: null,
  });
  const orgKey = (i: number) => `syn-org-${i}`;
  const funders = shape.funders;
  const partners = shape.organisations - funders;
  // Partners by preferential attachment: low numbers are chosen far more often (hubs).
  const partner = () => orgKey(funders + Math.floor(partners * rnd() ** 3));
  const funder = () => orgKey(Math.floor(funders * rnd() ** 2));

  const empty = (): GraphRows => ({
    source,
    nodes: Object.fromEntries(NODE_LABELS.map((l) => [l, []])) as unknown as GraphRows['nodes'],
    relationships: [],
  });
  const groups = new Map<string, RelationshipGroup>();
  const add = (
    rows: GraphRows,
    type: RelationshipGroup['type'],
    fromLabel: RelationshipGroup['fromLabel'],
    toLabel: RelationshipGroup['toLabel'],
    row: Omit<RelationshipRow, 'fid'> & { role?: string },
  ) => {
    const id = `${type}|${fromLabel}|${toLabel}`;
    let group = groups.get(id);
    if (!group) {
      group = { type, fromLabel, toLabel, rows: [] };
      groups.set(id, group);
      rows.relationships.push(group);
    }
    const { role, ...rest } = row;
    group.rows.push({ ...rest, fid: factId({ type, from: row.from, to: row.to, role }) });
  };
  const flush = (rows: GraphRows) => {
    groups.clear();
    return rows;
  };

  // The Source and the countries first, then the organisations, then the funds.
  let rows = empty();
  rows.nodes.Source.push({
    key: source,
    title: `Synthetic funding graph (${shape.organisations} organisations, seed ${seed})`,
    file: `${source}.generated`,
    language: 'en',
    publisher: orgKey(0),
  });
  for (let i = 0; i < shape.organisations; i++) {
    const kind = i < funders ? pick(FUNDER_KINDS) : pick(PARTNER_KINDS);
    rows.nodes.Organisation.push({
      key: orgKey(i),
      name: `${i < funders ? 'Funder' : 'Organisation'} ${i}`,
      aliases: i % 7 === 0 ? [`ORG${i}`] : [],
      kind,
      iatiOrganisationType: IATI_ORGANISATION_TYPE[kind],
      iatiRef: i % 3 === 0 ? `XM-SYN-${i}` : null,
      named: true,
      quote: quote(`organisation ${i}`),
    });
    const home = country();
    add(rows, 'BASED_IN', 'Organisation', 'Country', {
      from: orgKey(i),
      to: home,
      props: provenance(`based in ${home}`),
    });
    // Organisations too come in batches (a transaction holds a bounded number of rows).
    if ((i + 1) % (batchProgrammes * 5) === 0 && i + 1 < shape.organisations) {
      yield flush(rows);
      rows = empty();
    }
  }
  for (const code of countries) {
    rows.nodes.Country.push({ code, ...countryNames(code) });
  }
  const funds = Math.max(1, Math.floor(funders / 3));
  for (let f = 0; f < funds; f++) {
    const key = `syn-fund-${f}`;
    rows.nodes.Fund.push({ key, name: `Fund ${f}`, kind: 'FUND', quote: quote(`fund ${f}`) });
    add(rows, 'OWNS', 'Organisation', 'Fund', {
      from: funder(),
      to: key,
      props: provenance('owns'),
    });
    add(rows, 'MANAGES', 'Organisation', 'Fund', {
      from: orgKey(Math.floor(rnd() * funders)),
      to: key,
      props: provenance('manages'),
    });
  }
  yield flush(rows);

  rows = empty();
  for (let p = 0; p < shape.programmes; p++) {
    const key = `syn-prog-${p}`;
    const start = 2000 + Math.floor(rnd() * 24);
    const end = Math.min(2026, start + 1 + Math.floor(rnd() * 6));
    rows.nodes.Programme.push({
      key,
      name: `${pick(WORDS)} ${pick(WORDS)} ${p}`,
      type: pick(['PROGRAMME', 'PROJECT', 'PROJECT'] as const),
      startYear: start,
      endYear: end,
      quote: quote(`programme ${p}`),
    });
    const lead = partner();
    const members = new Set([lead]);
    // Power-law partner counts: mostly 0-2 besides the lead, rarely dozens.
    const count = Math.min(40, Math.floor(-Math.log(1 - rnd()) * 1.5));
    for (let i = 0; i < count; i++) members.add(partner());
    for (const m of members) {
      const role = m === lead ? 'LEAD' : 'PARTNER';
      add(rows, 'PARTICIPATES_IN', 'Organisation', 'Programme', {
        from: m,
        to: key,
        role,
        props: { ...provenance(role), role, iatiRole: role === 'LEAD' ? '2' : '4', countries: [] },
      });
    }
    const payers = rnd() < 0.3 ? [`syn-fund-${Math.floor(rnd() * funds)}`] : [];
    const direct = new Set([funder(), ...(rnd() < 0.2 ? [funder()] : [])]);
    for (const f of direct) {
      add(rows, 'FUNDS', 'Organisation', 'Programme', {
        from: f,
        to: key,
        props: { ...provenance('funds'), coFinancing: direct.size > 1 },
      });
    }
    for (const fund of payers) {
      add(rows, 'FUNDS', 'Fund', 'Programme', {
        from: fund,
        to: key,
        props: { ...provenance('funds'), coFinancing: false },
      });
    }
    const where = new Set([country(), ...(rnd() < 0.4 ? [country()] : [])]);
    for (const c of where) {
      add(rows, 'RUNS_IN', 'Programme', 'Country', {
        from: key,
        to: c,
        props: { ...provenance(`runs in ${c}`), percentage: null },
      });
    }
    const currency = pick(CURRENCIES);
    const value = Math.round(10_000 + rnd() * 2_000_000);
    const budget = `${key}#budget-1`;
    rows.nodes.Budget.push({
      key: budget,
      kind: 'BUDGET',
      periodStart: `${start}-01-01`,
      periodEnd: `${end}-12-31`,
      year: start,
      value,
      currency,
      valueDate: `${start}-01-01`,
      quote: quote('budget'),
    });
    add(rows, 'HAS_BUDGET', 'Programme', 'Budget', {
      from: key,
      to: budget,
      props: provenance('budget'),
    });
    const tx = `${key}#transaction-1`;
    const year = start + Math.floor(rnd() * (end - start + 1));
    const payer = [...direct][0]!;
    rows.nodes.Transaction.push({
      key: tx,
      type: 'DISBURSEMENT',
      iatiTransactionType: '3',
      date: `${year}-06-30`,
      year,
      value: Math.round(value / 2),
      currency,
      valueDate: `${year}-06-30`,
      quote: quote('transaction'),
    });
    add(rows, 'HAS_TRANSACTION', 'Programme', 'Transaction', {
      from: key,
      to: tx,
      props: provenance('transaction'),
    });
    add(rows, 'PROVIDED_BY', 'Transaction', 'Organisation', {
      from: tx,
      to: payer,
      props: provenance('provider'),
    });
    add(rows, 'RECEIVED_BY', 'Transaction', 'Organisation', {
      from: tx,
      to: lead,
      props: provenance('receiver'),
    });
    if ((p + 1) % batchProgrammes === 0) {
      yield flush(rows);
      rows = empty();
    }
  }
  if (rows.nodes.Programme.length > 0) yield flush(rows);
}
