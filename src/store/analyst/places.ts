/** The explorer's questions: search, a node's neighbourhood, a country at a glance, its programmes. */
import { KEY_PROPERTY } from '../../model/index.js';
import { COUNTRY, FUND, FUNDERS_OF, ORG, PROGRAMME, roleRank } from './fragments.js';

// Lucene breaks ties in its own order, which varies when segments are searched concurrently: the
// index is asked for more than the page, and the page is cut after ordering ties by name and key,
// so that the same question always gets the same answer.
export const SEARCH = `
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

export const PROGRAMMES_IN_COUNTRY = `
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
export const NEIGHBOURHOOD = Object.fromEntries(
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
export const NODE_EXISTS = Object.fromEntries(
  Object.entries(GRAPH_NODE_LABELS).map(([type, label]) => [
    type,
    `MATCH (n:${label} {${KEY_PROPERTY[label]}: $key}) RETURN count(n) > 0 AS found`,
  ]),
) as Record<GraphNodeType, string>;

/**
 * A country at a glance, in two statements that Neo4j runs side by side (with its money, a
 * third): its programmes, a page by name, with their funders, funds and participants; and its
 * funders by the number of its programmes they finance, which reads every programme there.
 */
export const COUNTRY_PROGRAMMES = `
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
  RETURN { country: c ${COUNTRY}, programmes: programmes } AS profile`;

/** A country's funders (COUNTRY_PROGRAMMES), none when the country is not in the graph. */
export const COUNTRY_FUNDERS = `
  MATCH (c:Country {code: $code})
  CALL (c) {
    MATCH (p:Programme)-[:RUNS_IN]->(c)
    MATCH (o:Organisation)-[:FUNDS|OWNS*1..2]->(p)
    WITH o, count(DISTINCT p) AS n ORDER BY n DESC, o.name, o.key LIMIT $limit
    RETURN collect({ funder: o ${ORG}, programmes: n }) AS funders
  }
  RETURN funders`;
