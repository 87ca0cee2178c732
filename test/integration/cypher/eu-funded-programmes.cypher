// statement 1 of 1
CYPHER 5
MATCH (this:Programme)
WHERE (this.name STARTS WITH $param0 AND (EXISTS {
  MATCH (this)<-[:FUNDS]-(this0:Organisation)
  WHERE this0.kind = $param1
} OR EXISTS {
  MATCH (this)<-[:FUNDS]-(this1:Fund)
  WHERE EXISTS {
    MATCH (this1)<-[:OWNS]-(this2:Organisation)
    WHERE this2.kind = $param2
  }
}))
WITH *
ORDER BY this.name ASC
LIMIT $param3
CALL (this) {
  MATCH (this)<-[this3:FUNDS]-(this4:Organisation)
  WHERE this4.kind = $param4
  WITH DISTINCT this4
  WITH this4 { .name } AS this4
  
  LIMIT $param5
  RETURN collect(this4) AS var5
}
CALL (this) {
  MATCH (this)<-[this6:FUNDS]-(this7:Fund)
  WITH collect({node: this7, relationship: this6}) AS edges
  CALL (edges) {
    UNWIND edges AS edge
    WITH edge.node AS this7, edge.relationship AS this6
    WITH *
    ORDER BY this7.name ASC
    LIMIT $param6
    RETURN collect({properties: {coFinancing: this6.coFinancing, quote: this6.quote, __resolveType: 'Funding'}, node: {name: this7.name, acronym: this7.acronym, kind: this7.kind, __resolveType: 'Fund'}}) AS var8
  }
  RETURN {edges: var8} AS var9
}
RETURN this { .name, .type, .startYear, .endYear, funders: var5, fundsConnection: var9 } AS this

// parameters
{
  "homeKey": "defence-for-children",
  "param0": "",
  "param1": "EU_BODY",
  "param2": "EU_BODY",
  "param3": 100,
  "param4": "EU_BODY",
  "param5": 100,
  "param6": 100
}
