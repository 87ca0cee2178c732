// statement 1 of 2
CYPHER 5
CALL dbms.components() YIELD versions, edition UNWIND versions AS version RETURN version, edition

// parameters
{
  "homeKey": "defence-for-children"
}

// statement 2 of 2
CYPHER 5
MATCH (this:Programme)
WHERE (toLower(this.name) = toLower($param0) OR $param1 IN this.aliases)
WITH *

LIMIT $param2
CALL (this) {
  MATCH (this)-[this0:RUNS_IN]->(this1:Country)
  WITH collect({node: this1, relationship: this0}) AS edges
  CALL (edges) {
    UNWIND edges AS edge
    WITH edge.node AS this1, edge.relationship AS this0
    WITH *
    ORDER BY this1.code ASC
    LIMIT $param3
    RETURN collect({properties: {quote: this0.quote, __resolveType: 'Provenance'}, node: {code: this1.code, nameEn: this1.nameEn, nameNl: this1.nameNl, __resolveType: 'Country'}}) AS var2
  }
  RETURN {edges: var2} AS var3
}
RETURN this { .name, .statedCountryCount, countriesConnection: var3 } AS this

// parameters
{
  "homeKey": "defence-for-children",
  "param0": "Girls Advocacy Alliance",
  "param1": "Girls Advocacy Alliance",
  "param2": 100,
  "param3": 100
}
