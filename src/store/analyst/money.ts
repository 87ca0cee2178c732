/**
 * The questions about money: totals grouped by the dimensions asked for, and the flows a Sankey
 * draws (funder → fund → programme → recipient), with the rows they read.
 */
import { COUNTRY, FLOW_NODE, FUNDING_ROUTES, ORG, PROGRAMME, SECTOR } from './fragments.js';

/** The dimensions a money total is grouped by (moneyTotals' `groupBy`). */
export interface MoneyGroupBy {
  funder: boolean;
  recipient: boolean;
  country: boolean;
  year: boolean;
  programme: boolean;
  sector: boolean;
}

/** A groupBy of the dimensions named, and none other. */
export const groupedBy = (...dimensions: (keyof MoneyGroupBy)[]): MoneyGroupBy => ({
  funder: dimensions.includes('funder'),
  recipient: dimensions.includes('recipient'),
  country: dimensions.includes('country'),
  year: dimensions.includes('year'),
  programme: dimensions.includes('programme'),
  sector: dimensions.includes('sector'),
});

/** What a money question is about: keys and a country code, null where not asked. */
export interface MoneySelection {
  funder: string | null;
  recipient: string | null;
  programme: string | null;
  country: string | null;
  year?: number | null;
  types: readonly string[] | null;
}

/** A question about every transaction: no funder, recipient, programme, country, year or type. */
export const ABOUT_EVERYTHING: Required<MoneySelection> = {
  funder: null,
  recipient: null,
  programme: null,
  country: null,
  year: null,
  types: null,
};

/** Whether `transactionsAsked` counts each transaction in each country of its programme. */
export const placesUnwound = (s: MoneySelection, needs: { places: boolean }) =>
  needs.places || s.country !== null;

/**
 * The factor of `t.value` a row counts for: its country's share (`placeShare`) where places are
 * unwound, its sector's (`sectorShare`) where sectors are, both or none (null: the whole value,
 * and nothing is apportioned). A question that unwinds neither carries no shares at all: for a
 * hub funder's 14,674 transactions, the maps of constant shares and the products by 1.0 took
 * about a fifth of the statement (BENCHMARKS.md, "Shares only where they split").
 */
export function shareOf(placed: boolean, bySector: boolean): string | null {
  const parts = [...(placed ? ['placeShare'] : []), ...(bySector ? ['sectorShare'] : [])];
  return parts.length > 0 ? parts.join(' * ') : null;
}

/**
 * The transactions a money question is about, as rows of `p` (the programme), `t`, `funder`
 * and `recipient` (null where the question needs neither) and, where places are unwound
 * (placesUnwound), `place` (the country, or null for a programme that names none) and
 * `placeShare` (the programme's share of its money there, else 1.0).
 *
 * The statement is written for the question's shape — which filters it gives, which parts it
 * needs — never for its values, which stay parameters: it starts where the question is
 * narrowest (one funder, recipient, programme, country or year, by an index seek; only a
 * question about everything reads every transaction) and reads a transaction's funder,
 * recipient and countries only when the question uses them. One statement for every shape,
 * with each part switched off by a parameter at run time, cost every transaction those parts'
 * operators anyway: 1.9 s against 0.76 s for the sectors of 250,000 transactions
 * (BENCHMARKS.md, "Money questions written per shape").
 */
export function transactionsAsked(
  s: MoneySelection,
  years: string | null,
  needs: { funder: boolean; recipient: boolean; places: boolean },
): string {
  const start =
    s.funder !== null
      ? 'MATCH (funder:Organisation {key: $funder})<-[:PROVIDED_BY]-(t:Transaction)<-[:HAS_TRANSACTION]-(p:Programme)'
      : s.recipient !== null
        ? 'MATCH (recipient:Organisation {key: $recipient})<-[:RECEIVED_BY]-(t:Transaction)<-[:HAS_TRANSACTION]-(p:Programme)'
        : s.programme !== null
          ? 'MATCH (p:Programme {key: $programme})-[:HAS_TRANSACTION]->(t:Transaction)'
          : s.country !== null
            ? 'MATCH (:Country {code: $country})<-[:RUNS_IN]-(p:Programme)-[:HAS_TRANSACTION]->(t:Transaction)'
            : s.year != null
              ? 'MATCH (t:Transaction {year: $year})<-[:HAS_TRANSACTION]-(p:Programme)'
              : 'MATCH (p:Programme)-[:HAS_TRANSACTION]->(t:Transaction)';
  const where = [
    ...(s.types !== null ? ['t.type IN $types'] : []),
    ...(years !== null ? [years] : []),
    ...(s.programme !== null ? ['p.key = $programme'] : []),
  ];
  // The funder and recipient: the start's, the one asked about, any (OPTIONAL), or none.
  const funder =
    s.funder === null && needs.funder
      ? 'OPTIONAL MATCH (t)-[:PROVIDED_BY]->(funder:Organisation)'
      : '';
  const recipient =
    s.recipient !== null && s.funder !== null
      ? 'MATCH (t)-[:RECEIVED_BY]->(recipient:Organisation {key: $recipient})'
      : s.recipient === null && needs.recipient
        ? 'OPTIONAL MATCH (t)-[:RECEIVED_BY]->(recipient:Organisation)'
        : '';
  const funderVar = s.funder !== null || needs.funder ? 'funder' : 'null';
  const recipientVar = s.recipient !== null || needs.recipient ? 'recipient' : 'null';
  // A programme's money counts in each of its countries by its percentage there (an equal
  // share when none is given), and whole where it names none.
  const places = placesUnwound(s, needs)
    ? `WITH p, t, ${funderVar} AS funder, ${recipientVar} AS recipient,
       [(p)-[r:RUNS_IN]->(c:Country) | { c: c, pct: r.percentage }] AS places
  UNWIND CASE WHEN size(places) = 0 THEN [{ c: null, share: 1.0 }]
    ELSE [x IN places | { c: x.c, share: coalesce(x.pct, 100.0 / size(places)) / 100.0 }] END AS share
  WITH p, t, funder, recipient, share.c AS place, share.share AS placeShare${s.country !== null ? '\n  WHERE place.code = $country' : ''}`
    : `WITH p, t, ${funderVar} AS funder, ${recipientVar} AS recipient`;
  return [
    start,
    ...(where.length > 0 ? [`WHERE ${where.join(' AND ')}`] : []),
    ...(funder ? [funder] : []),
    ...(recipient ? [recipient] : []),
    places,
  ].join('\n  ');
}

/**
 * The sectors of each transaction when the question is about sectors, as rows of `inSector`
 * (the sector, or null) and `sectorShare`: the transaction's own, else its programme's; DAC
 * 5-digit codes when there are any, else 3-digit categories; the percentage given, else an
 * equal share. Otherwise nothing (`placed`: the rows carry `place` and `placeShare`). It begins
 * on a line of its own.
 */
export function sectorShares(bySector: boolean, placed: boolean): string {
  if (!bySector) return '';
  const carried = `p, t, funder, recipient${placed ? ', place, placeShare' : ''}`;
  return `
  WITH ${carried}, [(t)-[r:IN_SECTOR]->(s:Sector) | { s: s, pct: r.percentage }] AS own
  WITH ${carried},
       CASE WHEN own <> [] THEN own ELSE [(p)-[r:IN_SECTOR]->(s:Sector) | { s: s, pct: r.percentage }] END AS found
  WITH ${carried},
       CASE WHEN any(x IN found WHERE x.s.vocabulary = '1')
         THEN [x IN found WHERE x.s.vocabulary = '1'] ELSE found END AS found
  UNWIND CASE WHEN size(found) = 0 THEN [{ s: null, share: 1.0 }]
    ELSE [x IN found | { s: x.s, share: coalesce(x.pct, 100.0 / size(found)) / 100.0 }] END AS split
  WITH ${carried}, split.s AS inSector, split.share AS sectorShare`;
}

/**
 * The sum of the rows' values, each by its share (shareOf); the largest share a row counted
 * for (1.0 when nothing is shared), and whether any was a part.
 */
export const summed = (share: string | null) =>
  share === null
    ? { value: 'sum(t.value)', largestShare: '1.0', apportioned: 'false' }
    : {
        value: `sum(t.value * ${share})`,
        largestShare: `max(${share})`,
        apportioned: `max(${share}) < 1.0`,
      };

/**
 * Transactions grouped by the dimensions asked for (`by`), always by type and currency, as
 * `row`s ordered by the dimensions' names, then keys (one order, so that pages neither repeat
 * nor skip a row where two organisations share a name), and paged ($offset, $limit). With
 * countries, each transaction counts in each recipient country of its programme by the
 * programme's percentage there; with sectors, in each of its sectors by its percentage there
 * (sectorShares).
 */
export function moneyTotalsCypher(q: MoneySelection & { by: MoneyGroupBy }): string {
  const { by } = q;
  const placed = placesUnwound(q, { places: by.country });
  const { value, apportioned } = summed(shareOf(placed, by.sector));
  // Grouped by the dimensions asked for, ordered by them; the others are null in every row.
  const dimensions = [
    {
      on: by.funder,
      key: 'funder',
      order: ["coalesce(funder.name, '')", "coalesce(funder.key, '')"],
    },
    {
      on: by.recipient,
      key: 'recipient',
      order: ["coalesce(recipient.name, '')", "coalesce(recipient.key, '')"],
    },
    { on: by.country, key: 'place AS country', order: ["coalesce(country.code, '')"] },
    { on: by.year, key: 't.year AS year', order: ['coalesce(year, 0)'] },
    { on: by.programme, key: 'p AS programme', order: ['programme.name', 'programme.key'] },
    { on: by.sector, key: 'inSector AS sector', order: ["coalesce(sector.key, '')"] },
  ].filter((d) => d.on);
  const asked = (on: boolean, v: string) => (on ? v : 'null');
  return `
  ${transactionsAsked(q, q.year != null ? 't.year = $year' : null, {
    funder: by.funder,
    recipient: by.recipient,
    places: by.country,
  })}${sectorShares(by.sector, placed)}
  WITH ${[...dimensions.map((d) => d.key), 't.type AS type', 't.currency AS currency'].join(', ')},
       ${value} AS value, count(DISTINCT t) AS count, ${apportioned} AS apportioned
  ORDER BY ${[...dimensions.flatMap((d) => d.order), 'type', 'currency'].join(', ')}
  SKIP $offset LIMIT $limit
  RETURN {
    funder: ${asked(by.funder, `funder ${ORG}`)}, recipient: ${asked(by.recipient, `recipient ${ORG}`)},
    country: ${asked(by.country, `country ${COUNTRY}`)}, year: ${asked(by.year, 'year')},
    programme: ${asked(by.programme, `programme ${PROGRAMME}`)}, sector: ${asked(by.sector, `sector ${SECTOR}`)},
    type: type, currency: currency, value: value, count: count, apportioned: apportioned
  } AS row`;
}

/**
 * The money of a flow (moneyFlows), summed per funder, fund, programme, recipient and
 * currency: the selection's transactions, as moneyTotalsCypher reads them, with the fund its
 * funder pays the programme through where the graph says it owns one.
 */
export function moneyFlowsCypher(
  q: FlowSelection & {
    types: readonly string[] | null;
    fromYear: number | null;
    toYear: number | null;
  },
): string {
  const years = [
    ...(q.fromYear !== null ? ['t.year >= $fromYear'] : []),
    ...(q.toYear !== null ? ['t.year <= $toYear'] : []),
  ];
  const needs = { funder: true, recipient: true, places: false };
  const { value, apportioned } = summed(shareOf(placesUnwound(q, needs), false));
  return `
  ${transactionsAsked(q, years.length > 0 ? years.join(' AND ') : null, needs)}
  CALL (funder, p) {
    // From the programme, which few funds pay, not from the funder, whose funds may pay
    // thousands of programmes each: for a hub funder's 14,674 rows, 0.16 M database hits
    // instead of 1.18 M, and 0.35 s instead of 0.48 s for the whole statement.
    OPTIONAL MATCH (p)<-[:FUNDS]-(fund:Fund)
    WHERE EXISTS { (funder)-[:OWNS]->(fund) }
    RETURN fund ORDER BY fund.key LIMIT 1
  }
  WITH funder, fund, p, recipient, t.currency AS currency,
       ${value} AS value, count(DISTINCT t) AS count,
       collect(DISTINCT t.type) AS types, collect(t.sources) AS sources,
       ${apportioned} AS apportioned
  // A list, not a map: a hub funder's flow is tens of thousands of rows, and the driver reads
  // a list of them in about half the time of maps with named fields (moneyFlowRow names them).
  RETURN [
    funder.key, funder.name, fund.key, fund.name, p.key, p.name, recipient.key, recipient.name,
    currency, value, count, types, reduce(all = [], s IN sources | all + [x IN s WHERE NOT x IN all]),
    apportioned
  ] AS row
  ORDER BY coalesce(funder.key, ''), coalesce(fund.key, ''), p.key, coalesce(recipient.key, ''), currency`;
}

/** One row of moneyFlowsCypher, as the list it returns. */
export type MoneyFlowList = [
  funderKey: string | null,
  funderName: string | null,
  fundKey: string | null,
  fundName: string | null,
  programmeKey: string,
  programmeName: string,
  recipientKey: string | null,
  recipientName: string | null,
  currency: string,
  value: number,
  count: number,
  types: string[],
  sources: string[],
  apportioned: boolean,
];

const flowNode = (key: string | null, name: string | null): FlowNodeRow | null =>
  key === null ? null : { key, name: name as string };

/** A row of moneyFlowsCypher with its fields named. */
export function moneyFlowRow(list: MoneyFlowList): MoneyFlowRow {
  const [fk, fn, dk, dn, pk, pn, rk, rn, currency, value, count, types, sources, apportioned] =
    list;
  return {
    funder: flowNode(fk, fn),
    fund: flowNode(dk, dn),
    programme: { key: pk, name: pn },
    recipient: flowNode(rk, rn),
    currency,
    value,
    count: Number(count),
    types,
    sources,
    apportioned,
  };
}

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
