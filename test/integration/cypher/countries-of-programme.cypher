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
  CALL db.index.fulltext.queryNodes('nameKeys', '"' + $param0 + '"') YIELD node
  WITH node WHERE node:Programme
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
  "param0": "girlsadvocacyalliance",
  "param1": 100,
  "param2": 100
}
