/**
 * request → schema → **Cypher** → Neo4j for the analyst's vocabulary (schema/analyst.graphql).
 * Every query is parameterised and runs in a read transaction with the request's timeout. The
 * fields each answer projects are the SDL's `…Ref` types (src/model), and names are matched
 * through the normalised `nameKeys` the importer stores (one rule: model/names.ts).
 */
import neo4j, { type Driver } from 'neo4j-driver';
import type { FundingChain, Partner, ProgrammeRef, SearchHit } from '../generated/schema-types.js';
import { normaliseName, projection } from '../model/index.js';
import { escapeLucene } from './lucene.js';
import { NAME_SEARCH_INDEX } from './schema-ops.js';

const ORG = projection('OrganisationRef');
const PROGRAMME = projection('ProgrammeRef');
const FUND = projection('FundRef');
const COUNTRY = projection('CountryRef');

/** The organisations a key, or a name or alias in any spelling, may mean. */
const FIND_ORGANISATION = `
  MATCH (o:Organisation)
  WHERE o.key = $ref OR $nameKey IN o.nameKeys
  RETURN o { .key, .name } AS organisation ORDER BY o.key`;

/**
 * Every route money takes to `programme`: directly from a funder, through a fund its owner
 * owns, or through a fund whose owner the source does not name (funder null).
 */
const FUNDING_ROUTES = `
  CALL (programme) {
    MATCH (funder:Organisation)-[funds:FUNDS]->(programme)
    RETURN funder, null AS fund, funds, null AS owns
    UNION
    MATCH (funder:Organisation)-[owns:OWNS]->(fund:Fund)-[funds:FUNDS]->(programme)
    RETURN funder, fund, funds, owns
    UNION
    MATCH (fund:Fund)-[funds:FUNDS]->(programme)
    WHERE NOT EXISTS { (:Organisation)-[:OWNS]->(fund) }
    RETURN null AS funder, fund, funds, null AS owns
  }`;

/** Leads first, then partners, implementers, local partners and the rest. */
const roleRank = (role: string) =>
  `CASE ${role} WHEN 'LEAD' THEN 0 WHEN 'PARTNER' THEN 1 WHEN 'IMPLEMENTING' THEN 2 WHEN 'LOCAL_PARTNER' THEN 3 ELSE 4 END`;

const PARTNERS = `
  MATCH (us:Organisation {key: $us})-[ours:PARTICIPATES_IN]->(programme:Programme)
  WHERE $country IS NULL OR $country IN ours.countries
     OR (ours.countries = [] AND EXISTS { (programme)-[:RUNS_IN]->(:Country {code: $country}) })
  // A programme nobody is said to fund still has partners: its funding list is just empty.
  OPTIONAL ${FUNDING_ROUTES.trim()}
  WITH us, ours, programme, collect(CASE WHEN funds IS NULL THEN null ELSE {
         funder: funder ${ORG}, fund: fund ${FUND}, coFinancing: funds.coFinancing,
         evidence: [{ fact: coalesce(funder.name, fund.name) + ' FUNDS ' + programme.name + coalesce(' through ' + fund.name, ''),
                      quote: funds.quote, source: funds.source, basis: funds.basis }]
       } END) AS funding
  WHERE $funderKind IS NULL OR any(route IN funding WHERE route.funder.kind = $funderKind)
  MATCH (partner:Organisation)-[theirs:PARTICIPATES_IN]->(programme)
  WHERE partner <> us AND ($includeUnnamed OR partner.named)
    AND ($country IS NULL OR theirs.countries = [] OR $country IN theirs.countries)
  RETURN {
    organisation: partner ${ORG},
    role: theirs.role,
    countries: COLLECT { MATCH (c:Country) WHERE c.code IN theirs.countries RETURN c ${COUNTRY} ORDER BY c.code },
    programme: programme ${PROGRAMME},
    funding: [route IN funding | route { .funder, .fund, .coFinancing }],
    evidence: [
      { fact: partner.name + ' ' + theirs.role + ' in ' + programme.name, quote: theirs.quote, source: theirs.source, basis: theirs.basis },
      { fact: us.name + ' ' + ours.role + ' in ' + programme.name, quote: ours.quote, source: ours.source, basis: ours.basis }
    ] + reduce(acc = [], route IN funding | acc + route.evidence)
  } AS partner
  // \`partner\` is the returned map here: its organisation's name and key break ties.
  ORDER BY programme.name, programme.key, ${roleRank('theirs.role')},
    toLower(partner.organisation.name), partner.organisation.key
  SKIP $offset LIMIT $limit`;

const FUNDING_CHAINS = `
  MATCH (us:Organisation {key: $us})-[ours:PARTICIPATES_IN]->(programme:Programme)
  ${FUNDING_ROUTES}
  WITH us, ours, programme, funder, fund, funds, owns
  WHERE $funderKind IS NULL OR funder.kind = $funderKind
  RETURN {
    funder: funder ${ORG},
    fund: fund ${FUND},
    managers: CASE WHEN fund IS NULL THEN [] ELSE [(m:Organisation)-[:MANAGES]->(fund) | m ${ORG}] END,
    programme: programme ${PROGRAMME},
    leads: COLLECT { MATCH (l:Organisation)-[p:PARTICIPATES_IN]->(programme) WHERE p.role = 'LEAD' RETURN l ${ORG} ORDER BY l.name },
    recipient: us ${ORG},
    recipientRole: ours.role,
    partners: COLLECT { MATCH (x:Organisation)-[:PARTICIPATES_IN]->(programme) WHERE x <> us RETURN DISTINCT x ${ORG} ORDER BY x.name },
    countries: COLLECT { MATCH (programme)-[:RUNS_IN]->(c:Country) RETURN c ${COUNTRY} ORDER BY c.code },
    evidence:
      CASE WHEN owns IS NULL THEN [] ELSE [{ fact: funder.name + ' OWNS ' + fund.name, quote: owns.quote, source: owns.source, basis: owns.basis }] END
      + CASE WHEN fund IS NULL THEN [] ELSE [(m:Organisation)-[mg:MANAGES]->(fund) | { fact: m.name + ' MANAGES ' + fund.name, quote: mg.quote, source: mg.source, basis: mg.basis }] END
      + [{ fact: coalesce(fund.name, funder.name) + ' FUNDS ' + programme.name, quote: funds.quote, source: funds.source, basis: funds.basis }]
      + [(l:Organisation)-[p:PARTICIPATES_IN]->(programme) WHERE p.role = 'LEAD' AND l <> us | { fact: l.name + ' LEAD in ' + programme.name, quote: p.quote, source: p.source, basis: p.basis }]
      + [{ fact: us.name + ' ' + ours.role + ' in ' + programme.name, quote: ours.quote, source: ours.source, basis: ours.basis }]
  } AS chain
  ORDER BY coalesce(funder.name, ''), coalesce(fund.name, ''), programme.name,
    funder.key, fund.key, programme.key
  SKIP $offset LIMIT $limit`;

const SEARCH = `
  CALL db.index.fulltext.queryNodes($index, $query, { limit: $limit }) YIELD node, score
  RETURN {
    type: [label IN labels(node) WHERE label IN ['Organisation', 'Programme', 'Fund']][0],
    key: node.key, name: node.name, nameEn: node.nameEn, aliases: coalesce(node.aliases, []), score: score
  } AS hit
  ORDER BY score DESC, hit.name`;

const PROGRAMMES_IN_COUNTRY = `
  MATCH (programme:Programme)-[:RUNS_IN]->(:Country {code: $code})
  RETURN programme ${PROGRAMME} AS programme ORDER BY programme.name, programme.key
  SKIP $offset LIMIT $limit`;

export interface ReadOptions {
  /** Transaction timeout in ms. */
  timeout: number;
}

/** A page of a list: at most `limit` items after the first `offset`. */
export interface Page {
  limit: number;
  offset: number;
}

/** SKIP and LIMIT take integers; JavaScript numbers would travel as floats. */
const integers = <T extends Page>(p: T) => ({
  ...p,
  limit: neo4j.int(p.limit),
  offset: neo4j.int(p.offset),
});

export class AnalystRepository {
  constructor(
    private readonly driver: Driver,
    private readonly database: string,
  ) {}

  private async read<T>(
    cypher: string,
    params: object,
    column: string,
    options: ReadOptions,
  ): Promise<T[]> {
    const session = this.driver.session({ database: this.database, defaultAccessMode: 'READ' });
    try {
      const result = await session.executeRead((tx) => tx.run(cypher, params), {
        timeout: options.timeout,
        metadata: { app: 'funding-graph', query: column },
      });
      return result.records.map((r) => r.get(column) as T);
    } finally {
      await session.close();
    }
  }

  /** Organisations whose key, name or alias is `ref`: none, one, or (ambiguous) several. */
  findOrganisations(ref: string, o: ReadOptions) {
    return this.read<{ key: string; name: string }>(
      FIND_ORGANISATION,
      { ref, nameKey: normaliseName(ref) },
      'organisation',
      o,
    );
  }

  partners(
    p: Page & {
      us: string;
      country: string | null;
      funderKind: string | null;
      includeUnnamed: boolean;
    },
    o: ReadOptions,
  ) {
    return this.read<Partner>(PARTNERS, integers(p), 'partner', o);
  }

  fundingChains(p: Page & { us: string; funderKind: string | null }, o: ReadOptions) {
    return this.read<FundingChain>(FUNDING_CHAINS, integers(p), 'chain', o);
  }

  /** The code of the country a source spells `name` (e.g. "Filippijnen"), if exactly one. */
  async countryByAlias(name: string, o: ReadOptions): Promise<string | undefined> {
    const codes = await this.read<string>(
      'MATCH (c:Country) WHERE $nameKey IN c.nameKeys RETURN c.code AS code',
      { nameKey: normaliseName(name) },
      'code',
      o,
    );
    return codes.length === 1 ? codes[0] : undefined;
  }

  search(p: { phrase: string; limit: number }, o: ReadOptions) {
    return this.read<SearchHit>(
      SEARCH,
      { index: NAME_SEARCH_INDEX, query: escapeLucene(p.phrase), limit: p.limit },
      'hit',
      o,
    );
  }

  programmesInCountry(p: Page & { code: string }, o: ReadOptions) {
    return this.read<ProgrammeRef>(PROGRAMMES_IN_COUNTRY, integers(p), 'programme', o);
  }

  /** The key of the home organisation when none is configured: the first source's publisher. */
  async defaultHomeKey(): Promise<string | undefined> {
    const { records } = await this.driver.executeQuery(
      'MATCH (s:Source) RETURN s.publisher AS publisher ORDER BY s.key LIMIT 1',
      {},
      { database: this.database, routing: 'READ' },
    );
    const publisher: unknown = records[0]?.get('publisher');
    return typeof publisher === 'string' ? publisher : undefined;
  }
}
