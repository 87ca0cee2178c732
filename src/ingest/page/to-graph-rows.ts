/**
 * page → extraction → validation → **graph rows** → writer. Turns a validated extraction into
 * the rows the writer MERGEs. Pure: no database, so it is unit-tested on its own.
 */
import { countryNames } from '../../countries/index.js';
import { IATI_ORGANISATION_TYPE, IATI_PARTICIPATION_ROLE } from '../../model/iati-codes.js';
import type { RelationshipType } from '../../model/index.js';
import { factId, type GraphRows, type Props, type RelationshipGroup } from '../graph-rows.js';
import type { ValidExtraction } from './validate.js';

export function toGraphRows({ extraction: x, facts, labelOf: labels }: ValidExtraction): GraphRows {
  const source = x.source.key;
  const labelOf = (key: string) => {
    const label = labels.get(key);
    if (!label) throw new Error(`invariant: ${key} was validated but is unknown`);
    return label;
  };

  const nodes: GraphRows['nodes'] = {
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
      iatiRef: o.iatiRef ?? null,
      iatiRefCurated: o.iatiRef === undefined ? null : true,
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
    Region: [],
    Sector: [],
    Transaction: [],
    Budget: [],
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
            places: f.places,
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
