/**
 * request → schema → **Cypher** → Neo4j for the analyst's vocabulary (schema/analyst.graphql).
 * Every query is parameterised and runs in a read transaction with the request's timeout. The
 * fields each answer projects are the SDL's `…Ref` types (src/model), and names are matched
 * through the normalised `nameKeys` the importer stores (one rule: model/names.ts).
 */
import neo4j, { type Driver } from 'neo4j-driver';
import type {
  FundingChain,
  MoneyRow,
  Partner,
  PortfolioItem,
  ProgrammeRef,
  SearchHit,
} from '../generated/schema-types.js';
import { normaliseName, projection } from '../model/index.js';
import { escapeLucene } from './lucene.js';
import { NAME_SEARCH_INDEX } from './schema-ops.js';

const ORG = projection('OrganisationRef');
const PROGRAMME = projection('ProgrammeRef');
const FUND = projection('FundRef');
const COUNTRY = projection('CountryRef');

/** The organisations a key, an IATI ref, or a name or alias in any spelling, may mean. */
const FIND_ORGANISATION = `
  MATCH (o:Organisation)
  WHERE o.key = $ref OR o.iatiRef = $ref OR $nameKey IN o.nameKeys
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

/**
 * A CALL that sums the transactions `pattern` matches (it binds `t`) per type and currency into
 * the list `name` — never a sum across currencies. (A CALL, not a COLLECT subquery in the
 * RETURN: aggregating there would stop the RETURN from ordering by earlier variables.)
 */
const moneyTotals = (name: string, imports: string, pattern: string) => `
  CALL (${imports}) {
    OPTIONAL MATCH ${pattern}
    WITH t.type AS type, t.currency AS currency, sum(t.value) AS value, count(t) AS count
    ORDER BY type, currency
    RETURN collect(CASE WHEN type IS NULL THEN null ELSE
      { type: type, currency: currency, value: value, count: count } END) AS ${name}
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
  WHERE ($funderKind IS NULL OR any(route IN funding WHERE route.funder.kind = $funderKind))
    AND ($funderIatiType IS NULL OR any(route IN funding WHERE route.funder.iatiOrganisationType = $funderIatiType))
  MATCH (partner:Organisation)-[theirs:PARTICIPATES_IN]->(programme)
  WHERE partner <> us AND ($includeUnnamed OR partner.named)
    AND ($country IS NULL OR theirs.countries = [] OR $country IN theirs.countries)
  ${moneyTotals('received', 'programme, partner', '(programme)-[:HAS_TRANSACTION]->(t:Transaction)-[:RECEIVED_BY]->(partner)')}
  RETURN {
    organisation: partner ${ORG},
    role: theirs.role,
    countries: COLLECT { MATCH (c:Country) WHERE c.code IN theirs.countries RETURN c ${COUNTRY} ORDER BY c.code },
    programme: programme ${PROGRAMME},
    funding: [route IN funding | route { .funder, .fund, .coFinancing }],
    evidence: [
      { fact: partner.name + ' ' + theirs.role + ' in ' + programme.name, quote: theirs.quote, source: theirs.source, basis: theirs.basis },
      { fact: us.name + ' ' + ours.role + ' in ' + programme.name, quote: ours.quote, source: ours.source, basis: ours.basis }
    ] + reduce(acc = [], route IN funding | acc + route.evidence),
    received: received
  } AS partner
  // \`partner\` is the returned map here: its organisation's name and key break ties.
  ORDER BY programme.name, programme.key, ${roleRank('theirs.role')},
    toLower(partner.organisation.name), partner.organisation.key
  SKIP $offset LIMIT $limit`;

const FUNDING_CHAINS = `
  MATCH (us:Organisation {key: $us})-[ours:PARTICIPATES_IN]->(programme:Programme)
  ${FUNDING_ROUTES}
  WITH us, ours, programme, funder, fund, funds, owns
  WHERE ($funderKind IS NULL OR funder.kind = $funderKind)
    AND ($funderIatiType IS NULL OR funder.iatiOrganisationType = $funderIatiType)
  ${moneyTotals('provided', 'programme, funder', '(programme)-[:HAS_TRANSACTION]->(t:Transaction)-[:PROVIDED_BY]->(funder)')}
  ${moneyTotals('received', 'programme, us', '(programme)-[:HAS_TRANSACTION]->(t:Transaction)-[:RECEIVED_BY]->(us)')}
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
      ,
    provided: provided,
    received: received
  } AS chain
  ORDER BY coalesce(funder.name, ''), coalesce(fund.name, ''), programme.name,
    funder.key, fund.key, programme.key
  SKIP $offset LIMIT $limit`;

/**
 * Transactions grouped by the dimensions asked for ($by), always by type and currency. With
 * countries, each transaction counts in each recipient country of its programme by the
 * programme's percentage there (an equal share when none is given).
 */
const MONEY_TOTALS = `
  MATCH (p:Programme)-[:HAS_TRANSACTION]->(t:Transaction)
  WHERE ($types IS NULL OR t.type IN $types) AND ($year IS NULL OR t.year = $year)
    AND ($programme IS NULL OR p.key = $programme)
  OPTIONAL MATCH (t)-[:PROVIDED_BY]->(funder:Organisation)
  OPTIONAL MATCH (t)-[:RECEIVED_BY]->(recipient:Organisation)
  WITH p, t, funder, recipient
  WHERE ($funder IS NULL OR funder.key = $funder) AND ($recipient IS NULL OR recipient.key = $recipient)
  CALL (p) {
    OPTIONAL MATCH (p)-[r:RUNS_IN]->(c:Country)
    WITH collect(CASE WHEN c IS NULL THEN null ELSE { c: c, pct: r.percentage } END) AS places
    RETURN CASE
      WHEN NOT ($by.country OR $country IS NOT NULL) OR size(places) = 0 THEN [{ c: null, share: 1.0 }]
      ELSE [x IN places | { c: x.c, share: coalesce(x.pct, 100.0 / size(places)) / 100.0 }]
    END AS shares
  }
  UNWIND shares AS share
  WITH p, t, funder, recipient, share
  WHERE $country IS NULL OR share.c.code = $country
  WITH CASE WHEN $by.funder THEN funder END AS funder,
       CASE WHEN $by.recipient THEN recipient END AS recipient,
       CASE WHEN $by.country THEN share.c END AS country,
       CASE WHEN $by.year THEN t.year END AS year,
       CASE WHEN $by.programme THEN p END AS programme,
       t.type AS type, t.currency AS currency,
       sum(t.value * share.share) AS value, count(DISTINCT t) AS count,
       max(share.share) < 1.0 AS apportioned
  RETURN {
    funder: funder ${ORG}, recipient: recipient ${ORG}, country: country ${COUNTRY}, year: year,
    programme: programme ${PROGRAMME}, type: type, currency: currency, value: value,
    count: count, apportioned: apportioned
  } AS row
  ORDER BY coalesce(funder.name, ''), coalesce(recipient.name, ''), coalesce(country.code, ''),
    coalesce(year, 0), coalesce(programme.name, ''), coalesce(programme.key, ''), type, currency
  SKIP $offset LIMIT $limit`;

/** The programmes a funder finances, directly or through a fund it owns, with the money. */
const PORTFOLIO = `
  MATCH (funder:Organisation {key: $funder})
  CALL (funder) {
    MATCH (funder)-[:FUNDS]->(programme:Programme) RETURN programme, null AS fund
    UNION
    MATCH (funder)-[:OWNS]->(fund:Fund)-[:FUNDS]->(programme:Programme) RETURN programme, fund
  }
  CALL (programme) {
    OPTIONAL MATCH (programme)-[:HAS_BUDGET]->(b:Budget)
    WITH b.kind AS kind, b.currency AS currency, sum(b.value) AS value, count(b) AS count
    ORDER BY kind, currency
    RETURN collect(CASE WHEN kind IS NULL THEN null ELSE
      { kind: kind, currency: currency, value: value, count: count } END) AS budgets
  }
  ${moneyTotals('provided', 'programme, funder', '(programme)-[:HAS_TRANSACTION]->(t:Transaction)-[:PROVIDED_BY]->(funder)')}
  RETURN {
    programme: programme ${PROGRAMME},
    fund: fund ${FUND},
    leads: COLLECT { MATCH (l:Organisation)-[p:PARTICIPATES_IN]->(programme) WHERE p.role = 'LEAD' RETURN l ${ORG} ORDER BY l.name },
    countries: COLLECT { MATCH (programme)-[:RUNS_IN]->(c:Country) RETURN c ${COUNTRY} ORDER BY c.code },
    budgets: budgets,
    provided: provided
  } AS item
  ORDER BY programme.name, programme.key, coalesce(fund.name, '')
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

/** The hand-written Cypher of each analyst field, for the benchmark's raw-Cypher side. */
export const ANALYST_CYPHER = {
  partners: PARTNERS,
  fundingChains: FUNDING_CHAINS,
  moneyTotals: MONEY_TOTALS,
  portfolio: PORTFOLIO,
  search: SEARCH,
  programmesInCountry: PROGRAMMES_IN_COUNTRY,
} as const;

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
      funderIatiType: string | null;
      includeUnnamed: boolean;
    },
    o: ReadOptions,
  ) {
    return this.read<Partner>(PARTNERS, integers(p), 'partner', o);
  }

  moneyTotals(
    p: Page & {
      by: Record<'funder' | 'recipient' | 'country' | 'year' | 'programme', boolean>;
      types: string[] | null;
      funder: string | null;
      recipient: string | null;
      country: string | null;
      year: number | null;
      programme: string | null;
    },
    o: ReadOptions,
  ) {
    return this.read<MoneyRow>(MONEY_TOTALS, integers(p), 'row', o);
  }

  portfolio(p: Page & { funder: string }, o: ReadOptions) {
    return this.read<PortfolioItem>(PORTFOLIO, integers(p), 'item', o);
  }

  fundingChains(
    p: Page & { us: string; funderKind: string | null; funderIatiType: string | null },
    o: ReadOptions,
  ) {
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
