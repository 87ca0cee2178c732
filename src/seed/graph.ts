/**
 * page → extraction → validation → **graph rows** → import. Turns a validated extraction into
 * the rows the importer MERGEs: nodes per label and relationships per type and end labels.
 * Pure: no database, so it is unit-tested on its own.
 */
import { countryNames } from '../countries/index.js';
import type { EntityKind } from './extraction-schema.js';
import { IATI_ORGANISATION_TYPE, IATI_PARTICIPATION_ROLE } from './iati.js';
import { factId, type ValidExtraction } from './validate.js';

export const NODE_LABELS = [
  'Source',
  'Country',
  'Place',
  'Organisation',
  'Fund',
  'Programme',
] as const;
export type NodeLabel = (typeof NODE_LABELS)[number];

export const RELATIONSHIP_TYPES = [
  'FUNDS',
  'OWNS',
  'MANAGES',
  'PARTICIPATES_IN',
  'MEMBER_OF',
  'RUNS_IN',
  'UNDER_FRAMEWORK',
  'EXTENDS',
  'BASED_IN',
  'IN_COUNTRY',
] as const;
export type RelationshipType = (typeof RELATIONSHIP_TYPES)[number];

/** The property that identifies a node of each label. */
export const KEY_PROPERTY: Record<NodeLabel, 'key' | 'code'> = {
  Source: 'key',
  Country: 'code',
  Place: 'key',
  Organisation: 'key',
  Fund: 'key',
  Programme: 'key',
};

const LABEL_OF: Record<EntityKind, NodeLabel> = {
  organisation: 'Organisation',
  fund: 'Fund',
  programme: 'Programme',
  country: 'Country',
  place: 'Place',
};

type Props = Record<string, string | number | boolean | string[] | null>;

export interface RelationshipRow {
  fid: string;
  from: string;
  to: string;
  props: Props;
}

export interface RelationshipGroup {
  type: RelationshipType;
  fromLabel: NodeLabel;
  toLabel: NodeLabel;
  rows: RelationshipRow[];
}

export interface GraphRows {
  source: string;
  nodes: Record<NodeLabel, Props[]>;
  relationships: RelationshipGroup[];
}

export function toGraphRows({ extraction: x, facts }: ValidExtraction): GraphRows {
  const source = x.source.key;
  const kindOf = new Map<string, EntityKind>();
  x.countries.forEach((c) => kindOf.set(c.code, 'country'));
  x.places.forEach((p) => kindOf.set(p.key, 'place'));
  x.organisations.forEach((o) => kindOf.set(o.key, 'organisation'));
  x.funds.forEach((f) => kindOf.set(f.key, 'fund'));
  x.programmes.forEach((p) => kindOf.set(p.key, 'programme'));
  const labelOf = (key: string): NodeLabel => {
    const kind = kindOf.get(key);
    if (!kind) throw new Error(`invariant: ${key} was validated but is unknown`);
    return LABEL_OF[kind];
  };

  const nodes: Record<NodeLabel, Props[]> = {
    Source: [
      {
        key: source,
        title: x.source.title,
        file: x.source.file,
        language: x.source.language,
        publisher: x.source.publisher,
      },
    ],
    Country: x.countries.map((c) => ({
      code: c.code,
      ...countryNames(c.code),
      aliases: c.aliases,
    })),
    Place: x.places.map((p) => ({ key: p.key, name: p.name, quote: p.quote })),
    Organisation: x.organisations.map((o) => ({
      key: o.key,
      name: o.name,
      nameEn: o.nameEn ?? null,
      aliases: o.aliases,
      kind: o.kind,
      iatiOrganisationType: IATI_ORGANISATION_TYPE[o.kind],
      named: o.named,
      website: o.website ?? null,
      quote: o.quote,
    })),
    Fund: x.funds.map((f) => ({
      key: f.key,
      name: f.name,
      nameEn: f.nameEn ?? null,
      acronym: f.acronym ?? null,
      aliases: f.acronym ? [f.acronym] : [],
      kind: f.kind,
      quote: f.quote,
    })),
    Programme: x.programmes.map((p) => ({
      key: p.key,
      name: p.name,
      aliases: p.aliases,
      type: p.type,
      description: p.description ?? null,
      startYear: p.startYear ?? null,
      startMonth: p.startMonth ?? null,
      endYear: p.endYear ?? null,
      duration: p.duration ?? null,
      statedCountryCount: p.statedCountryCount ?? null,
      periodQuote: p.periodQuote ?? null,
      website: p.website ?? null,
      websiteQuote: p.websiteQuote ?? null,
      quote: p.quote,
    })),
  };

  const groups = new Map<string, RelationshipGroup>();
  const add = (type: RelationshipType, from: string, to: string, props: Props, role?: string) => {
    const fromLabel = labelOf(from);
    const toLabel = labelOf(to);
    const id = `${type}|${fromLabel}|${toLabel}`;
    let group = groups.get(id);
    if (!group) groups.set(id, (group = { type, fromLabel, toLabel, rows: [] }));
    const fid = factId({ type, from, to, ...(role === undefined ? {} : { role }) });
    group.rows.push({ fid, from, to, props: { fid, ...props, source } });
  };

  for (const f of facts) {
    const provenance = { quote: f.quote, basis: f.basis };
    switch (f.type) {
      case 'FUNDS':
        add(f.type, f.from, f.to, { ...provenance, coFinancing: f.coFinancing });
        break;
      case 'PARTICIPATES_IN':
        add(
          f.type,
          f.from,
          f.to,
          {
            ...provenance,
            role: f.role,
            iatiRole: IATI_PARTICIPATION_ROLE[f.role],
            countries: f.countries,
          },
          f.role,
        );
        break;
      case 'MEMBER_OF':
        add(f.type, f.from, f.to, { ...provenance, role: f.role }, f.role);
        break;
      case 'OWNS':
      case 'MANAGES':
      case 'RUNS_IN':
      case 'UNDER_FRAMEWORK':
      case 'EXTENDS':
        add(f.type, f.from, f.to, provenance);
        break;
      default: {
        const unreachable: never = f;
        throw new Error(`invariant: unknown relation ${JSON.stringify(unreachable)}`);
      }
    }
  }
  for (const o of x.organisations) {
    if (o.basedIn !== undefined && o.basedInQuote !== undefined) {
      add('BASED_IN', o.key, o.basedIn, { quote: o.basedInQuote, basis: o.basedInBasis });
    }
  }
  for (const p of x.places)
    add('IN_COUNTRY', p.key, p.country, { quote: p.quote, basis: 'STATED' });

  return { source, nodes, relationships: [...groups.values()] };
}
