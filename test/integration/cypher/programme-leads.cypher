// statement 1 of 1
CYPHER 5
MATCH (this:Programme)
WHERE (this.name STARTS WITH $param0 AND EXISTS {
  MATCH (this)<-[this0:PARTICIPATES_IN]-(this1:Organisation)
  WHERE this0.role = $param1
})
WITH *
ORDER BY this.name ASC
LIMIT $param2
CALL (this) {
  MATCH (this)<-[this2:PARTICIPATES_IN]-(this3:Organisation)
  WHERE this2.role = $param3
  WITH collect({node: this3, relationship: this2}) AS edges
  CALL (edges) {
    UNWIND edges AS edge
    WITH edge.node AS this3, edge.relationship AS this2
    WITH *
    
    LIMIT $param4
    RETURN collect({properties: {quote: this2.quote, __resolveType: 'Participation'}, node: {key: this3.key, name: this3.name, __resolveType: 'Organisation'}}) AS var4
  }
  RETURN {edges: var4} AS var5
}
RETURN this { .name, .type, participantsConnection: var5 } AS this

// parameters
{
  "homeKey": "defence-for-children",
  "param0": "",
  "param1": "LEAD",
  "param2": 100,
  "param3": "LEAD",
  "param4": 100
}
