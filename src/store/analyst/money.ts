/**
 * The questions about money: totals grouped by the dimensions asked for, and the flows a Sankey
 * draws (funder → fund → programme → recipient), with the rows they read.
 */
import { COUNTRY, FLOW_NODE, FUNDING_ROUTES, ORG, PROGRAMME, SECTOR } from './fragments.js';

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

/**
 * The transactions a money question is about, each with its programme `p`, its funder and
 * recipient (or null), and its `share` (the programme's share in the country asked about, else
 * 1.0): of the types asked, in the `years` asked, of the funder, recipient, programme and country
 * asked; countries are read when `places` holds.
 */
const transactionsAsked = (years: string, places: string) => `${TRANSACTIONS_ASKED}
  MATCH (p:Programme)-[:HAS_TRANSACTION]->(t)
  WHERE ($types IS NULL OR t.type IN $types) AND ${years}
    AND ($programme IS NULL OR p.key = $programme)
  OPTIONAL MATCH (t)-[:PROVIDED_BY]->(funder:Organisation)
  OPTIONAL MATCH (t)-[:RECEIVED_BY]->(recipient:Organisation)
  WITH p, t, funder, recipient
  WHERE ($funder IS NULL OR funder.key = $funder) AND ($recipient IS NULL OR recipient.key = $recipient)
  ${countryShares(places)}
  UNWIND shares AS share
  WITH p, t, funder, recipient, share
  WHERE $country IS NULL OR share.c.code = $country`;

/**
 * Transactions grouped by the dimensions asked for ($by), always by type and currency. With
 * countries, each transaction counts in each recipient country of its programme by the
 * programme's percentage there (an equal share when none is given).
 */
export const MONEY_TOTALS = `
  ${transactionsAsked('($year IS NULL OR t.year = $year)', '$by.country OR $country IS NOT NULL')}
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

/**
 * The money of a flow (moneyFlows), summed per funder, fund, programme, recipient and
 * currency: the selection's transactions, as MONEY_TOTALS reads them, with the fund its funder
 * pays the programme through where the graph says it owns one.
 */
export const MONEY_FLOWS = `
  ${transactionsAsked(
    '($fromYear IS NULL OR t.year >= $fromYear) AND ($toYear IS NULL OR t.year <= $toYear)',
    '$country IS NOT NULL',
  )}
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
 * A flow without amounts (moneyFlows where the selection has no transactions at all): the funding
 * routes (FUNDING_ROUTES) and the leads and partners of the selection's programmes, each with
 * the sources that state it.
 */
export const RELATION_FLOWS = `
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
