// statement 1 of 2
CYPHER 5
CALL dbms.components() YIELD versions, edition UNWIND versions AS version RETURN version, edition

// parameters
{
  "homeKey": "defence-for-children"
}

// statement 2 of 2
CYPHER 5
CALL {
  WITH replace($param0, ' ', '') AS key
  WITH key, COLLECT {
    CALL db.index.fulltext.queryNodes('nameKeys', '"' + key + '"') YIELD node WHERE node:Programme RETURN node
  } AS exact
  WITH exact, CASE WHEN exact = [] THEN COLLECT {
    CALL db.index.fulltext.queryNodes('nameKeys', key + '*', {limit: 200}) YIELD node WHERE node:Programme RETURN node LIMIT 2
  } ELSE [] END AS prefixed
  WITH exact, prefixed, CASE WHEN exact = [] AND prefixed = [] THEN COLLECT {
    CALL db.index.fulltext.queryNodes('nameSearch', '+' + replace($param0, ' ', ' +'), {limit: 200}) YIELD node WHERE node:Programme RETURN node LIMIT 2
  } ELSE [] END AS worded
  UNWIND CASE WHEN exact <> [] THEN exact WHEN size(prefixed) = 1 THEN prefixed WHEN size(worded) = 1 THEN worded ELSE [] END AS node
  RETURN node ORDER BY node.name, node.key
}
WITH node AS this0
CALL (this0) {
  MATCH (this0)-[this1:RUNS_IN]->(this2:Country)
  WITH collect({node: this2, relationship: this1}) AS edges
  CALL (edges) {
    UNWIND edges AS edge
    WITH edge.node AS this2, edge.relationship AS this1
    WITH *
    ORDER BY this2.code ASC
    LIMIT $param1
    RETURN collect({properties: {quote: this1.quote, __resolveType: 'Provenance'}, node: {code: this2.code, nameEn: this2.nameEn, nameNl: this2.nameNl, __resolveType: 'Country'}}) AS var3
  }
  RETURN {edges: var3} AS var4
}
WITH this0 { .name, .statedCountryCount, countriesConnection: var4 } AS this0

LIMIT $param2
RETURN this0 AS this

// parameters
{
  "homeKey": "defence-for-children",
  "param0": "girls advocacy alliance",
  "param1": 100,
  "param2": 100
}
