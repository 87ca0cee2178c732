/**
 * Cypher fragments the analyst's questions share (src/store/analyst/*.ts): the projections of the
 * SDL's `…Ref` types, the funding routes of a programme, its sums of money, the ordering of roles,
 * the transactions a money question starts from and a programme's shares per country.
 */
import { projection } from '../../model/index.js';

export const ORG = projection('OrganisationRef');

export const PROGRAMME = projection('ProgrammeRef');

export const FUND = projection('FundRef');

export const COUNTRY = projection('CountryRef');

export const PLACE = projection('PlaceRef');

export const SECTOR = projection('SectorRef');

/**
 * Every route money takes to `programme`: directly from a funder, through a fund its owner
 * owns, or through a fund whose owner the source does not name (funder null).
 */
export const FUNDING_ROUTES = `
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
export const moneySums = (name: string, edge: 'PROVIDED_BY' | 'RECEIVED_BY', other: string) => `
  CALL (programme, ${other}) {
    OPTIONAL MATCH (programme)-[:HAS_TRANSACTION]->(t:Transaction)
    WHERE EXISTS { (t)-[:${edge}]->(${other}) }
    WITH t.type AS type, t.currency AS currency, sum(t.value) AS value, count(t) AS count
    ORDER BY type, currency
    RETURN collect(CASE WHEN type IS NULL THEN null ELSE
      { type: type, currency: currency, value: value, count: count } END) AS ${name}
  }`;

/** Leads first, then partners, implementers, local partners and the rest. */
export const roleRank = (role: string) =>
  `CASE ${role} WHEN 'LEAD' THEN 0 WHEN 'PARTNER' THEN 1 WHEN 'IMPLEMENTING' THEN 2 WHEN 'LOCAL_PARTNER' THEN 3 ELSE 4 END`;

/** Funders of `p`: directly, or as the owner of a fund that funds it. */
export const FUNDERS_OF = (p: string) =>
  `COLLECT { MATCH (o:Organisation)-[:FUNDS|OWNS*1..2]->(${p}) RETURN DISTINCT o ${ORG} ORDER BY o.name, o.key }`;

/**
 * The transactions a money question is about (`t`): it starts where the question is narrowest —
 * one funder, recipient, programme, country or year — by an index seek; only a question about
 * everything reads every transaction.
 */
export const TRANSACTIONS_ASKED = `CALL () {
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
export const countryShares = (places: string) => `CALL (p) {
    OPTIONAL MATCH (p)-[r:RUNS_IN]->(c:Country) WHERE ${places}
    WITH collect(CASE WHEN c IS NULL THEN null ELSE { c: c, pct: r.percentage } END) AS places
    RETURN CASE
      WHEN NOT (${places}) OR size(places) = 0 THEN [{ c: null, share: 1.0 }]
      ELSE [x IN places | { c: x.c, share: coalesce(x.pct, 100.0 / size(places)) / 100.0 }]
    END AS shares
  }`;

/** The nodes of a money flow: an organisation's, fund's or programme's key and name. */
export const FLOW_NODE = '{ .key, .name }';
