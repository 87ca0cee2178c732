/**
 * request → schema → **Cypher** → Neo4j for the analyst's vocabulary (schema/analyst.graphql).
 * Every query is parameterised. An analyst field runs all it needs — resolving the organisation
 * and country it is asked about, then its question — in one read transaction with the
 * request's timeout (`AnalystRepository.read`). The fields each answer projects are the SDL's
 * `…Ref` types (src/model), and names are matched through the normalised `nameKeys` the
 * importer stores (one rule: model/names.ts), by an index seek (NAME_KEY_INDEX).
 */
import { distance } from 'fastest-levenshtein';
import neo4j, { type Driver, type ManagedTransaction } from 'neo4j-driver';
import type {
  CountryProfile,
  FundingChain,
  GraphEdge,
  SharedPartner,
  WorkPlace,
  MoneyRow,
  OrganisationRef,
  Partner,
  PortfolioItem,
  ProgrammeRef,
  SearchHit,
} from '../generated/schema-types.js';
import { KEY_PROPERTY, nameWords, normaliseName, projection } from '../model/index.js';
import { escapeLucene } from './lucene.js';
import { NAME_KEY_INDEX, NAME_SEARCH_INDEX, nameKeyQuery } from './schema-ops.js';

const ORG = projection('OrganisationRef');
const PROGRAMME = projection('ProgrammeRef');
const FUND = projection('FundRef');
const COUNTRY = projection('CountryRef');
const PLACE = projection('PlaceRef');
const SECTOR = projection('SectorRef');

/**
 * The organisations a key, an IATI ref, or a name or alias in any spelling, may mean: three
 * index seeks (key constraint, iatiRef index, NAME_KEY_INDEX), never a scan.
 */
const FIND_ORGANISATION = `
  CALL () {
    MATCH (o:Organisation {key: $ref}) RETURN o
    UNION
    MATCH (o:Organisation {iatiRef: $ref}) RETURN o
    UNION
    WITH $nameKey AS nameKey WHERE nameKey <> ''
    CALL db.index.fulltext.queryNodes($nameKeyIndex, $nameKeyQuery) YIELD node AS o
    WITH o WHERE o:Organisation
    RETURN o
  }
  RETURN o { .key, .name } AS organisation ORDER BY o.key`;

const ORGANISATION_BY_KEY = `MATCH (o:Organisation {key: $key}) RETURN o ${ORG} AS organisation`;

const COUNTRY_BY_NAME_KEY = `
  CALL db.index.fulltext.queryNodes($nameKeyIndex, $nameKeyQuery) YIELD node AS c
  WITH c WHERE c:Country
  RETURN c.code AS code ORDER BY code`;

/**
 * Nodes of `$label` that a full-text query finds (at most `$hits`, the best first): for a name that
 * no node has exactly, the names that start with it or hold all its words, or the closest ones.
 */
const NAME_HITS = `
  CALL db.index.fulltext.queryNodes($index, $query, { limit: 200 }) YIELD node, score
  WHERE $label IN labels(node)
  RETURN node { .key, .name } AS hit ORDER BY score DESC, hit.name, hit.key LIMIT $hits`;

/** The labels a name may be looked up under (never from input). */
export type NamedLabel = 'Organisation' | 'Programme' | 'Fund';

/** Parameters that find `name` through NAME_KEY_INDEX. */
const byNameKey = (name: string) => {
  const nameKey = normaliseName(name);
  return { nameKey, nameKeyIndex: NAME_KEY_INDEX, nameKeyQuery: nameKeyQuery(nameKey) };
};

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
 * A CALL that sums the transactions of `programme` that `edge` links to `other` (e.g.
 * `PROVIDED_BY`, funder) per type and currency into the list `name` — never a sum across
 * currencies. It walks from the programme (a few transactions), never from the organisation (a
 * funder may provide tens of thousands). (A CALL, not a COLLECT subquery in the RETURN:
 * aggregating there would stop the RETURN from ordering by earlier variables.)
 */
const moneyTotals = (name: string, edge: 'PROVIDED_BY' | 'RECEIVED_BY', other: string) => `
  CALL (programme, ${other}) {
    OPTIONAL MATCH (programme)-[:HAS_TRANSACTION]->(t:Transaction)
    WHERE EXISTS { (t)-[:${edge}]->(${other}) }
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
         sameGrant: funder IS NOT NULL AND CASE WHEN fund IS NULL
           THEN EXISTS { (funder)-[:OWNS]->(:Fund)-[:FUNDS]->(programme) }
           ELSE EXISTS { (funder)-[:FUNDS]->(programme) } END,
         evidence: [{ fact: coalesce(funder.name, fund.name) + ' FUNDS ' + programme.name + coalesce(' through ' + fund.name, ''),
                      quote: funds.quote, source: funds.source, basis: funds.basis }]
       } END) AS funding
  WHERE ($funderKind IS NULL OR any(route IN funding WHERE route.funder.kind = $funderKind))
    AND ($funderIatiType IS NULL OR any(route IN funding WHERE route.funder.iatiOrganisationType = $funderIatiType))
  MATCH (partner:Organisation)-[theirs:PARTICIPATES_IN]->(programme)
  WHERE partner <> us AND ($includeUnnamed OR partner.named)
    AND ($country IS NULL OR theirs.countries = [] OR $country IN theirs.countries)
  // The page first, then the money and the projections: only for the rows returned.
  WITH us, ours, programme, funding, partner, theirs
  ORDER BY programme.name, programme.key, ${roleRank('theirs.role')}, toLower(partner.name), partner.key
  SKIP $offset LIMIT $limit
  ${moneyTotals('received', 'RECEIVED_BY', 'partner')}
  RETURN {
    organisation: partner ${ORG},
    role: theirs.role,
    countries: COLLECT { MATCH (c:Country) WHERE c.code IN theirs.countries RETURN c ${COUNTRY} ORDER BY c.code },
    places: COLLECT { MATCH (pl:Place) WHERE pl.key IN coalesce(theirs.places, []) RETURN pl ${PLACE} ORDER BY pl.name },
    programme: programme ${PROGRAMME},
    funding: [route IN funding | route { .funder, .fund, .coFinancing, .sameGrant }],
    evidence: [
      { fact: partner.name + ' ' + theirs.role + ' in ' + programme.name, quote: theirs.quote, source: theirs.source, basis: theirs.basis },
      { fact: us.name + ' ' + ours.role + ' in ' + programme.name, quote: ours.quote, source: ours.source, basis: ours.basis }
    ] + reduce(acc = [], route IN funding | acc + route.evidence),
    received: received
  } AS partner
  // \`partner\` is the returned map here: its organisation's name and key break ties.
  ORDER BY programme.name, programme.key, ${roleRank('theirs.role')},
    toLower(partner.organisation.name), partner.organisation.key`;

const FUNDING_CHAINS = `
  MATCH (us:Organisation {key: $us})-[ours:PARTICIPATES_IN]->(programme:Programme)
  ${FUNDING_ROUTES}
  WITH us, ours, programme, funder, fund, funds, owns
  WHERE ($funderKind IS NULL OR funder.kind = $funderKind)
    AND ($funderIatiType IS NULL OR funder.iatiOrganisationType = $funderIatiType)
  // The page first, then the money and the projections: only for the chains returned.
  WITH us, ours, programme, funder, fund, funds, owns
  ORDER BY coalesce(funder.name, ''), coalesce(fund.name, ''), programme.name,
    funder.key, fund.key, programme.key
  SKIP $offset LIMIT $limit
  ${moneyTotals('provided', 'PROVIDED_BY', 'funder')}
  ${moneyTotals('received', 'RECEIVED_BY', 'us')}
  RETURN {
    funder: funder ${ORG},
    fund: fund ${FUND},
    sameGrant: funder IS NOT NULL AND CASE WHEN fund IS NULL
           THEN EXISTS { (funder)-[:OWNS]->(:Fund)-[:FUNDS]->(programme) }
           ELSE EXISTS { (funder)-[:FUNDS]->(programme) } END,
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
    funder.key, fund.key, programme.key`;

/**
 * Transactions grouped by the dimensions asked for ($by), always by type and currency. With
 * countries, each transaction counts in each recipient country of its programme by the
 * programme's percentage there (an equal share when none is given).
 */
/**
 * The transactions a money question is about (`t`): it starts where the question is narrowest —
 * one funder, recipient, programme, country or year — by an index seek; only a question about
 * everything reads every transaction.
 */
const TRANSACTIONS_ASKED = `CALL () {
    WITH 1 AS start WHERE $funder IS NOT NULL
    MATCH (:Organisation {key: $funder})<-[:PROVIDED_BY]-(t:Transaction) RETURN t
    UNION ALL
    WITH 1 AS start WHERE $funder IS NULL AND $recipient IS NOT NULL
    MATCH (:Organisation {key: $recipient})<-[:RECEIVED_BY]-(t:Transaction) RETURN t
    UNION ALL
    WITH 1 AS start WHERE $funder IS NULL AND $recipient IS NULL AND $programme IS NOT NULL
    MATCH (:Programme {key: $programme})-[:HAS_TRANSACTION]->(t:Transaction) RETURN t
    UNION ALL
    WITH 1 AS start WHERE $funder IS NULL AND $recipient IS NULL AND $programme IS NULL AND $country IS NOT NULL
    MATCH (:Country {code: $country})<-[:RUNS_IN]-(:Programme)-[:HAS_TRANSACTION]->(t:Transaction) RETURN t
    UNION ALL
    WITH 1 AS start WHERE $funder IS NULL AND $recipient IS NULL AND $programme IS NULL AND $country IS NULL AND $year IS NOT NULL
    MATCH (t:Transaction {year: $year}) RETURN t
    UNION ALL
    WITH 1 AS start WHERE $funder IS NULL AND $recipient IS NULL AND $programme IS NULL AND $country IS NULL AND $year IS NULL
    MATCH (t:Transaction) RETURN t
  }`;

/**
 * `shares` of programme `p`: its countries with the share of its money each gets (its
 * percentage there, an equal share when none is given) when `places` holds, else one
 * share of 1.0 without a country.
 */
const countryShares = (places: string) => `CALL (p) {
    OPTIONAL MATCH (p)-[r:RUNS_IN]->(c:Country) WHERE ${places}
    WITH collect(CASE WHEN c IS NULL THEN null ELSE { c: c, pct: r.percentage } END) AS places
    RETURN CASE
      WHEN NOT (${places}) OR size(places) = 0 THEN [{ c: null, share: 1.0 }]
      ELSE [x IN places | { c: x.c, share: coalesce(x.pct, 100.0 / size(places)) / 100.0 }]
    END AS shares
  }`;

const MONEY_TOTALS = `
  ${TRANSACTIONS_ASKED}
  MATCH (p:Programme)-[:HAS_TRANSACTION]->(t)
  WHERE ($types IS NULL OR t.type IN $types) AND ($year IS NULL OR t.year = $year)
    AND ($programme IS NULL OR p.key = $programme)
  OPTIONAL MATCH (t)-[:PROVIDED_BY]->(funder:Organisation)
  OPTIONAL MATCH (t)-[:RECEIVED_BY]->(recipient:Organisation)
  WITH p, t, funder, recipient
  WHERE ($funder IS NULL OR funder.key = $funder) AND ($recipient IS NULL OR recipient.key = $recipient)
  ${countryShares('$by.country OR $country IS NOT NULL')}
  UNWIND shares AS share
  WITH p, t, funder, recipient, share
  WHERE $country IS NULL OR share.c.code = $country
  CALL (p, t) {
    // Sectors only when the question is about sectors: the transaction's own, else its
    // programme's; DAC 5-digit codes when there are any, else 3-digit categories.
    OPTIONAL MATCH (t)-[r:IN_SECTOR]->(s:Sector) WHERE $by.sector
    WITH collect(CASE WHEN s IS NULL THEN null ELSE { s: s, pct: r.percentage } END) AS own
    OPTIONAL MATCH (p)-[r:IN_SECTOR]->(s:Sector) WHERE $by.sector AND own = []
    WITH own, collect(CASE WHEN s IS NULL THEN null ELSE { s: s, pct: r.percentage } END) AS inherited
    WITH CASE WHEN own <> [] THEN own ELSE inherited END AS found
    WITH CASE WHEN any(x IN found WHERE x.s.vocabulary = '1')
           THEN [x IN found WHERE x.s.vocabulary = '1'] ELSE found END AS found
    RETURN CASE
      WHEN NOT $by.sector OR size(found) = 0 THEN [{ s: null, share: 1.0 }]
      ELSE [x IN found | { s: x.s, share: coalesce(x.pct, 100.0 / size(found)) / 100.0 }]
    END AS sectorShares
  }
  UNWIND sectorShares AS sectorShare
  WITH CASE WHEN $by.funder THEN funder END AS funder,
       CASE WHEN $by.recipient THEN recipient END AS recipient,
       CASE WHEN $by.country THEN share.c END AS country,
       CASE WHEN $by.year THEN t.year END AS year,
       CASE WHEN $by.programme THEN p END AS programme,
       CASE WHEN $by.sector THEN sectorShare.s END AS sector,
       t.type AS type, t.currency AS currency,
       sum(t.value * share.share * sectorShare.share) AS value, count(DISTINCT t) AS count,
       max(share.share * sectorShare.share) < 1.0 AS apportioned
  RETURN {
    funder: funder ${ORG}, recipient: recipient ${ORG}, country: country ${COUNTRY}, year: year,
    programme: programme ${PROGRAMME}, sector: sector ${SECTOR}, type: type, currency: currency,
    value: value, count: count, apportioned: apportioned
  } AS row
  ORDER BY coalesce(funder.name, ''), coalesce(recipient.name, ''), coalesce(country.code, ''),
    coalesce(year, 0), coalesce(programme.name, ''), coalesce(programme.key, ''),
    coalesce(sector.key, ''), type, currency
  SKIP $offset LIMIT $limit`;

/** The programmes a funder finances, directly or through a fund it owns, with the money. */
const PORTFOLIO = `
  MATCH (funder:Organisation {key: $funder})
  CALL (funder) {
    MATCH (funder)-[:FUNDS]->(programme:Programme) RETURN programme, null AS fund
    UNION
    MATCH (funder)-[:OWNS]->(fund:Fund)-[:FUNDS]->(programme:Programme) RETURN programme, fund
  }
  // The page first, then the money and the projections: only for the programmes returned.
  WITH funder, programme, fund
  ORDER BY programme.name, programme.key, coalesce(fund.name, '')
  SKIP $offset LIMIT $limit
  CALL (programme) {
    OPTIONAL MATCH (programme)-[:HAS_BUDGET]->(b:Budget)
    WITH b.kind AS kind, b.currency AS currency, sum(b.value) AS value, count(b) AS count
    ORDER BY kind, currency
    RETURN collect(CASE WHEN kind IS NULL THEN null ELSE
      { kind: kind, currency: currency, value: value, count: count } END) AS budgets
  }
  ${moneyTotals('provided', 'PROVIDED_BY', 'funder')}
  RETURN {
    programme: programme ${PROGRAMME},
    fund: fund ${FUND},
    leads: COLLECT { MATCH (l:Organisation)-[p:PARTICIPATES_IN]->(programme) WHERE p.role = 'LEAD' RETURN l ${ORG} ORDER BY l.name },
    countries: COLLECT { MATCH (programme)-[:RUNS_IN]->(c:Country) RETURN c ${COUNTRY} ORDER BY c.code },
    budgets: budgets,
    provided: provided
  } AS item
  ORDER BY programme.name, programme.key, coalesce(fund.name, '')`;

// Lucene breaks ties in its own order, which varies when segments are searched concurrently: the
// index is asked for more than the page, and the page is cut after ordering ties by name and key,
// so that the same question always gets the same answer.
const SEARCH = `
  CALL db.index.fulltext.queryNodes($index, $query, { limit: $limit * 3 + 20 }) YIELD node, score
  // A group the source mentions without naming it ("relevante overheidsorganisaties (…)")
  // counts half: named organisations, programmes and funds come first at like relevance.
  WITH node, score * CASE WHEN node.named = false THEN 0.5 ELSE 1.0 END AS score
  RETURN {
    type: [label IN labels(node) WHERE label IN ['Organisation', 'Programme', 'Fund']][0],
    key: node.key, name: node.name, nameEn: node.nameEn, aliases: coalesce(node.aliases, []), score: score
  } AS hit
  ORDER BY score DESC, hit.name, hit.key
  LIMIT $limit`;

const PROGRAMMES_IN_COUNTRY = `
  MATCH (programme:Programme)-[:RUNS_IN]->(:Country {code: $code})
  RETURN programme ${PROGRAMME} AS programme ORDER BY programme.name, programme.key
  SKIP $offset LIMIT $limit`;

/** The explorer's node types and the label each stands for (never from input). */
export const GRAPH_NODE_LABELS = {
  ORGANISATION: 'Organisation',
  PROGRAMME: 'Programme',
  FUND: 'Fund',
  COUNTRY: 'Country',
} as const;
export type GraphNodeType = keyof typeof GRAPH_NODE_LABELS;

const nodeType = (v: string) =>
  `CASE WHEN ${v}:Organisation THEN 'ORGANISATION' WHEN ${v}:Programme THEN 'PROGRAMME' WHEN ${v}:Fund THEN 'FUND' ELSE 'COUNTRY' END`;
/** A GraphNode of `v`: countries are keyed and named by code and English name. */
const graphNode = (v: string) => `{
    id: ${nodeType(v)} + ':' + coalesce(${v}.key, ${v}.code), type: ${nodeType(v)},
    key: coalesce(${v}.key, ${v}.code), name: coalesce(${v}.name, ${v}.nameEn),
    kind: coalesce(${v}.kind, ${v}.type) }`;

/** The facts around one node, one query per node type (an index seek on its key). */
const NEIGHBOURHOOD = Object.fromEntries(
  Object.entries(GRAPH_NODE_LABELS).map(([type, label]) => [
    type,
    `
  MATCH (n:${label} {${KEY_PROPERTY[label]}: $key})-[r]-(m)
  WHERE m:Organisation OR m:Programme OR m:Fund OR m:Country
  WITH r, m, startNode(r) AS a, endNode(r) AS b
  ORDER BY type(r), coalesce(r.role, ''), coalesce(m.name, m.nameEn), elementId(r)
  SKIP $offset LIMIT $limit
  RETURN {
    id: coalesce(r.fid, elementId(r)), type: type(r), role: r.role, coFinancing: r.coFinancing,
    from: ${graphNode('a')}, to: ${graphNode('b')},
    quote: r.quote, source: r.source, basis: r.basis
  } AS edge`,
  ]),
) as Record<GraphNodeType, string>;

/** Whether a node of the type with the key exists (to tell "no facts" from "no such node"). */
const NODE_EXISTS = Object.fromEntries(
  Object.entries(GRAPH_NODE_LABELS).map(([type, label]) => [
    type,
    `MATCH (n:${label} {${KEY_PROPERTY[label]}: $key}) RETURN count(n) > 0 AS found`,
  ]),
) as Record<GraphNodeType, string>;

/** Funders of `p`: directly, or as the owner of a fund that funds it. */
const FUNDERS_OF = (p: string) =>
  `COLLECT { MATCH (o:Organisation)-[:FUNDS|OWNS*1..2]->(${p}) RETURN DISTINCT o ${ORG} ORDER BY o.name, o.key }`;

const COUNTRY_PROFILE = `
  MATCH (c:Country {code: $code})
  CALL (c) {
    MATCH (p:Programme)-[:RUNS_IN]->(c)
    WITH c, p ORDER BY p.name, p.key SKIP $offset LIMIT $limit
    WITH p,
      ${FUNDERS_OF('p')} AS funders,
      COLLECT { MATCH (f:Fund)-[:FUNDS]->(p) RETURN f ${FUND} ORDER BY f.name, f.key } AS funds,
      COLLECT {
        MATCH (o:Organisation)-[r:PARTICIPATES_IN]->(p)
        WITH o, min(${roleRank('r.role')}) AS rank,
             apoc.coll.toSet(apoc.coll.flatten(collect(coalesce(r.countries, [])))) AS codes
        RETURN {
          organisation: o ${ORG},
          here: CASE WHEN codes = [] THEN null ELSE c.code IN codes END,
          countries: COLLECT { MATCH (x:Country) WHERE x.code IN codes RETURN x ${COUNTRY} ORDER BY x.code }
        } ORDER BY rank, o.name, o.key } AS participation
    RETURN collect({
      programme: p ${PROGRAMME}, funders: funders, funds: funds,
      participants: [x IN participation | x.organisation], participation: participation
    }) AS programmes
  }
  CALL (c) {
    MATCH (p:Programme)-[:RUNS_IN]->(c)
    MATCH (o:Organisation)-[:FUNDS|OWNS*1..2]->(p)
    WITH o, count(DISTINCT p) AS n ORDER BY n DESC, o.name, o.key LIMIT $limit
    RETURN collect({ funder: o ${ORG}, programmes: n }) AS funders
  }
  RETURN { country: c ${COUNTRY}, programmes: programmes, funders: funders } AS profile`;

const SHARED_PARTNERS = `
  MATCH (us:Organisation {key: $us})-[:PARTICIPATES_IN]->(p:Programme)<-[:PARTICIPATES_IN]-(o:Organisation)
  WHERE o <> us
  WITH DISTINCT o, p ORDER BY p.name, p.key
  WITH o, collect(p) AS programmes
  WHERE size(programmes) >= $minProgrammes
  ORDER BY size(programmes) DESC, o.name, o.key
  SKIP $offset LIMIT $limit
  RETURN { organisation: o ${ORG}, programmes: [p IN programmes | p ${PROGRAMME}] } AS shared`;

const WORK_PLACES = `
  MATCH (o:Organisation {key: $us})-[r:PARTICIPATES_IN]->(p:Programme)
  CALL (r, p) {
    UNWIND coalesce(r.countries, []) AS code
    MATCH (c:Country {code: code}) RETURN c, true AS stated
    UNION
    WITH r, p WHERE size(coalesce(r.countries, [])) = 0
    MATCH (p)-[:RUNS_IN]->(c:Country) RETURN c, false AS stated
  }
  WITH DISTINCT c, stated, p ORDER BY p.name, p.key
  WITH c, collect(DISTINCT p) AS programmes, collect(stated) AS stated
  RETURN { country: c ${COUNTRY}, programmes: [p IN programmes | p ${PROGRAMME}],
           stated: any(x IN stated WHERE x) } AS place
  ORDER BY place.country.code`;

/** The nodes of a money flow: an organisation's, fund's or programme's key and name. */
const FLOW_NODE = '{ .key, .name }';

/**
 * The money of a flow (moneyFlows), summed per funder, fund, programme, recipient and
 * currency: the selection's transactions, as MONEY_TOTALS reads them, with the fund its funder
 * pays the programme through where the graph says it owns one.
 */
const MONEY_FLOWS = `
  ${TRANSACTIONS_ASKED}
  MATCH (p:Programme)-[:HAS_TRANSACTION]->(t)
  WHERE t.type IN $types AND ($fromYear IS NULL OR t.year >= $fromYear)
    AND ($toYear IS NULL OR t.year <= $toYear) AND ($programme IS NULL OR p.key = $programme)
  OPTIONAL MATCH (t)-[:PROVIDED_BY]->(funder:Organisation)
  OPTIONAL MATCH (t)-[:RECEIVED_BY]->(recipient:Organisation)
  WITH p, t, funder, recipient
  WHERE ($funder IS NULL OR funder.key = $funder) AND ($recipient IS NULL OR recipient.key = $recipient)
  ${countryShares('$country IS NOT NULL')}
  UNWIND shares AS share
  WITH p, t, funder, recipient, share
  WHERE $country IS NULL OR share.c.code = $country
  CALL (funder, p) {
    OPTIONAL MATCH (funder)-[:OWNS]->(fund:Fund)-[:FUNDS]->(p)
    RETURN fund ORDER BY fund.key LIMIT 1
  }
  WITH funder, fund, p, recipient, t.currency AS currency,
       sum(t.value * share.share) AS value, count(DISTINCT t) AS count,
       collect(DISTINCT t.type) AS types, collect(t.sources) AS sources,
       max(share.share) < 1.0 AS apportioned
  RETURN {
    funder: funder ${FLOW_NODE}, fund: fund ${FLOW_NODE}, programme: p ${FLOW_NODE},
    recipient: recipient ${FLOW_NODE}, currency: currency, value: value, count: count,
    types: types, sources: reduce(all = [], s IN sources | all + [x IN s WHERE NOT x IN all]),
    apportioned: apportioned
  } AS row
  ORDER BY coalesce(funder.key, ''), coalesce(fund.key, ''), p.key, coalesce(recipient.key, ''), currency`;

/**
 * A flow without amounts (moneyFlows where the selection has no transactions): the funding
 * routes (FUNDING_ROUTES) and the leads and partners of the selection's programmes, each with
 * the sources that state it.
 */
const RELATION_FLOWS = `
  CALL () {
    WITH 1 AS start WHERE $funder IS NOT NULL
    MATCH (:Organisation {key: $funder})-[:FUNDS]->(programme:Programme) RETURN programme
    UNION
    WITH 1 AS start WHERE $funder IS NOT NULL
    MATCH (:Organisation {key: $funder})-[:OWNS]->(:Fund)-[:FUNDS]->(programme:Programme) RETURN programme
    UNION
    WITH 1 AS start WHERE $funder IS NULL AND $recipient IS NOT NULL
    MATCH (:Organisation {key: $recipient})-[:PARTICIPATES_IN]->(programme:Programme) RETURN programme
    UNION
    WITH 1 AS start WHERE $funder IS NULL AND $recipient IS NULL AND $programme IS NOT NULL
    MATCH (programme:Programme {key: $programme}) RETURN programme
    UNION
    WITH 1 AS start WHERE $funder IS NULL AND $recipient IS NULL AND $programme IS NULL AND $country IS NOT NULL
    MATCH (:Country {code: $country})<-[:RUNS_IN]-(programme:Programme) RETURN programme
  }
  WITH programme
  WHERE ($programme IS NULL OR programme.key = $programme)
    AND ($country IS NULL OR EXISTS { (programme)-[:RUNS_IN]->(:Country {code: $country}) })
    AND ($recipient IS NULL OR EXISTS { (:Organisation {key: $recipient})-[:PARTICIPATES_IN]->(programme) })
  ${FUNDING_ROUTES}
  WITH programme, funder, fund, funds
  WHERE $funder IS NULL OR funder.key = $funder
  WITH programme, collect({ funder: funder ${FLOW_NODE}, fund: fund ${FLOW_NODE}, sources: funds.sources }) AS routes
  WHERE size(routes) > 0
  RETURN {
    programme: programme ${FLOW_NODE},
    routes: routes,
    participants: COLLECT {
      MATCH (o:Organisation)-[r:PARTICIPATES_IN]->(programme)
      WHERE $recipient IS NULL OR o.key = $recipient
      RETURN { recipient: o ${FLOW_NODE}, sources: r.sources } AS participant
      ORDER BY o.key
    }
  } AS relations
  ORDER BY programme.key`;

/** The hand-written Cypher of each analyst read (the benchmark's raw side; the plan tests). */
export const ANALYST_CYPHER = {
  findOrganisation: FIND_ORGANISATION,
  organisationByKey: ORGANISATION_BY_KEY,
  countryByNameKey: COUNTRY_BY_NAME_KEY,
  partners: PARTNERS,
  fundingChains: FUNDING_CHAINS,
  moneyTotals: MONEY_TOTALS,
  moneyFlows: MONEY_FLOWS,
  relationFlows: RELATION_FLOWS,
  portfolio: PORTFOLIO,
  search: SEARCH,
  programmesInCountry: PROGRAMMES_IN_COUNTRY,
  neighbourhood: NEIGHBOURHOOD,
  countryProfile: COUNTRY_PROFILE,
  sharedPartners: SHARED_PARTNERS,
  workPlaces: WORK_PLACES,
} as const;

/** What a money flow is about: at least one of them (keys and a country code). */
export interface FlowSelection {
  funder: string | null;
  recipient: string | null;
  country: string | null;
  programme: string | null;
}

/** An organisation, fund or programme in a flow's rows. */
export interface FlowNodeRow {
  key: string;
  name: string;
}

/** The transactions of one funder, fund, programme, recipient and currency, summed. */
export interface MoneyFlowRow {
  funder: FlowNodeRow | null;
  fund: FlowNodeRow | null;
  programme: FlowNodeRow;
  recipient: FlowNodeRow | null;
  currency: string;
  value: number;
  count: number;
  types: string[];
  sources: string[];
  apportioned: boolean;
}

/** One programme of a flow without amounts: who funds it (and through what), who takes part. */
export interface RelationFlowRow {
  programme: FlowNodeRow;
  routes: { funder: FlowNodeRow | null; fund: FlowNodeRow | null; sources: string[] }[];
  participants: { recipient: FlowNodeRow; sources: string[] }[];
}

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

/** The reads of one analyst field, all inside one read transaction. */
export class AnalystReads {
  constructor(private readonly tx: ManagedTransaction) {}

  private async rows<T>(cypher: string, params: object, column: string): Promise<T[]> {
    const result = await this.tx.run(cypher, params);
    return result.records.map((r) => r.get(column) as T);
  }

  /** Organisations whose key, IATI ref, name or alias is `ref`: none, one, or (ambiguous) several. */
  findOrganisations(ref: string) {
    return this.rows<{ key: string; name: string }>(
      FIND_ORGANISATION,
      { ref, ...byNameKey(ref) },
      'organisation',
    );
  }

  /**
   * What a name that no node of `label` has exactly may mean, as AnyName (schema/analyst.graphql)
   * says: the nodes whose name or alias starts with it, else those whose name or alias holds
   * all its words (one is an answer, several a question).
   */
  async namedLike(label: NamedLabel, name: string): Promise<{ key: string; name: string }[]> {
    const words = nameWords(name);
    if (words === '') return [];
    const prefixed = await this.rows<{ key: string; name: string }>(
      NAME_HITS,
      { label, index: NAME_KEY_INDEX, query: `${words.replaceAll(' ', '')}*`, hits: neo4j.int(5) },
      'hit',
    );
    if (prefixed.length > 0) return prefixed;
    return this.rows(
      NAME_HITS,
      {
        label,
        index: NAME_SEARCH_INDEX,
        query: `+${words.replaceAll(' ', ' +')}`,
        hits: neo4j.int(5),
      },
      'hit',
    );
  }

  /**
   * The names of `label` closest to `name`, the best first: those it starts or whose words it
   * holds, then the index's fuzzy matches word by word that are within half its length in edit
   * distance (to the whole name or its start), nearest first (the index alone favours short
   * names: "Terre des Hommes" before "Terre des Hommes Albania" for "Terre des Homes Albania").
   */
  async closestNames(label: NamedLabel, name: string): Promise<string[]> {
    const words = nameWords(name);
    if (words === '') return [];
    const near = (await this.namedLike(label, name)).map((h) => h.name);
    // Fuzzy terms are costly: the first words are enough to suggest.
    const fuzzyQuery = words
      .split(' ')
      .slice(0, 16)
      .map((w) => `${w}~`)
      .join(' ');
    const fuzzy = await this.rows<{ name: string }>(
      NAME_HITS,
      { label, index: NAME_SEARCH_INDEX, query: fuzzyQuery, hits: neo4j.int(50) },
      'hit',
    );
    // Distance to the whole name or to its start (a misspelt beginning of a long name is near);
    // a fuzzy hit on one short word ("to" in "down to zeroo") that is far off is no suggestion.
    const typed = normaliseName(name);
    const byDistance = fuzzy
      .map((h) => {
        const key = normaliseName(h.name);
        return {
          name: h.name,
          d: Math.min(distance(typed, key), distance(typed, key.slice(0, typed.length))),
        };
      })
      .filter((h) => h.d <= typed.length / 2)
      .sort((a, b) => a.d - b.d || a.name.localeCompare(b.name))
      .map((h) => h.name);
    return [...new Set([...near, ...byDistance])].slice(0, 5);
  }

  /** The organisation with key `key`, as a reference; undefined when it is not in the graph. */
  async organisation(key: string): Promise<OrganisationRef | undefined> {
    const [found] = await this.rows<OrganisationRef>(ORGANISATION_BY_KEY, { key }, 'organisation');
    return found;
  }

  /** The code of the country a source spells `name` (e.g. "Filippijnen"), if exactly one. */
  async countryByAlias(name: string): Promise<string | undefined> {
    if (normaliseName(name) === '') return undefined;
    const codes = await this.rows<string>(COUNTRY_BY_NAME_KEY, byNameKey(name), 'code');
    return codes.length === 1 ? codes[0] : undefined;
  }

  partners(
    p: Page & {
      us: string;
      country: string | null;
      funderKind: string | null;
      funderIatiType: string | null;
      includeUnnamed: boolean;
    },
  ) {
    return this.rows<Partner>(PARTNERS, integers(p), 'partner');
  }

  moneyTotals(
    p: Page & {
      by: Record<'funder' | 'recipient' | 'country' | 'year' | 'programme' | 'sector', boolean>;
      types: string[] | null;
      funder: string | null;
      recipient: string | null;
      country: string | null;
      year: number | null;
      programme: string | null;
    },
  ) {
    return this.rows<MoneyRow>(MONEY_TOTALS, integers(p), 'row');
  }

  /** The money of a flow per funder, fund, programme, recipient and currency (MONEY_FLOWS). */
  moneyFlows(
    p: FlowSelection & { types: string[]; fromYear: number | null; toYear: number | null },
  ) {
    return this.rows<MoneyFlowRow>(MONEY_FLOWS, { ...p, year: null }, 'row');
  }

  /** The funding routes and participants of a flow's programmes, without amounts (RELATION_FLOWS). */
  relationFlows(p: FlowSelection) {
    return this.rows<RelationFlowRow>(RELATION_FLOWS, p, 'relations');
  }

  portfolio(p: Page & { funder: string }) {
    return this.rows<PortfolioItem>(PORTFOLIO, integers(p), 'item');
  }

  fundingChains(
    p: Page & { us: string; funderKind: string | null; funderIatiType: string | null },
  ) {
    return this.rows<FundingChain>(FUNDING_CHAINS, integers(p), 'chain');
  }

  search(p: { phrase: string; limit: number }) {
    return this.rows<SearchHit>(
      SEARCH,
      { index: NAME_SEARCH_INDEX, query: escapeLucene(p.phrase), limit: neo4j.int(p.limit) },
      'hit',
    );
  }

  programmesInCountry(p: Page & { code: string }) {
    return this.rows<ProgrammeRef>(PROGRAMMES_IN_COUNTRY, integers(p), 'programme');
  }

  neighbourhood(p: Page & { type: GraphNodeType; key: string }) {
    return this.rows<GraphEdge>(NEIGHBOURHOOD[p.type], integers(p), 'edge');
  }

  async nodeExists(type: GraphNodeType, key: string): Promise<boolean> {
    const [found] = await this.rows<boolean>(NODE_EXISTS[type], { key }, 'found');
    return found === true;
  }

  /** The country's programmes and funders (money: moneyTotals), or undefined when not in the graph. */
  async countryProfile(
    p: Page & { code: string },
  ): Promise<Omit<CountryProfile, 'money'> | undefined> {
    const [profile] = await this.rows<Omit<CountryProfile, 'money'>>(
      COUNTRY_PROFILE,
      integers(p),
      'profile',
    );
    return profile;
  }

  sharedPartners(p: Page & { us: string; minProgrammes: number }) {
    return this.rows<SharedPartner>(
      SHARED_PARTNERS,
      { ...integers(p), minProgrammes: neo4j.int(p.minProgrammes) },
      'shared',
    );
  }

  workPlaces(p: { us: string }) {
    return this.rows<WorkPlace>(WORK_PLACES, p, 'place');
  }
}

export class AnalystRepository {
  constructor(
    private readonly driver: Driver,
    private readonly database: string,
  ) {}

  /**
   * Runs `work` — the lookups and the question of one analyst field — in one read transaction
   * with the request's timeout; `field` names it in Neo4j's transaction list.
   */
  async read<T>(field: string, options: ReadOptions, work: (reads: AnalystReads) => Promise<T>) {
    const session = this.driver.session({ database: this.database, defaultAccessMode: 'READ' });
    try {
      return await session.executeRead((tx) => work(new AnalystReads(tx)), {
        timeout: options.timeout,
        metadata: { app: 'funding-graph', query: field },
      });
    } finally {
      await session.close();
    }
  }
}
