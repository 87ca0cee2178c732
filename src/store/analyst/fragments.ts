/**
 * Cypher fragments the analyst's questions share (src/store/analyst/*.ts): the projections of the
 * SDL's `…Ref` types, the funding routes of a programme, its sums of money, the ordering of roles,
 * the funders of a programme and the nodes of a money flow.
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
 * owns (one route per owner), or through a fund whose owner the source does not name (funder
 * null). The programme's FUNDS relationships are read once and a fund's owners looked up from
 * the fund: three UNION branches read them three times (for a participant in 10,896 programmes
 * of the large benchmark graph, 296,663 database hits instead of 495,656 for its funding chains).
 */
const fundingRoutes = (order: string) => `
  CALL (programme) {
    MATCH (source)-[funds:FUNDS]->(programme)
    WHERE source:Organisation OR source:Fund
    OPTIONAL MATCH (owner:Organisation)-[owns:OWNS]->(source:Fund)
    RETURN CASE WHEN source:Fund THEN owner ELSE source END AS funder,
           CASE WHEN source:Fund THEN source END AS fund, funds, owns${order}
  }`;

/** The funding routes of `programme` in no order, for a statement that orders its rows itself. */
export const FUNDING_ROUTES = fundingRoutes('');

/**
 * The funding routes of `programme` by their funder's name, then their fund's (the funder-less
 * first, a direct route before its funder's funds): for a list of them, as `partners` gives.
 */
export const FUNDING_ROUTES_IN_ORDER = fundingRoutes(`
    ORDER BY coalesce(funder.name, ''), coalesce(fund.name, ''), funder.key, fund.key`);

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

/** The nodes of a money flow: an organisation's, fund's or programme's key and name. */
export const FLOW_NODE = '{ .key, .name }';
