// statement 1 of 1
CYPHER 5
CALL {
  WITH replace($param0, ' ', '') AS key
  WITH key, COLLECT {
    CALL db.index.fulltext.queryNodes('nameKeys', '"' + key + '"') YIELD node WHERE node:Fund RETURN node
  } AS exact
  WITH exact, CASE WHEN exact = [] THEN COLLECT {
    CALL db.index.fulltext.queryNodes('nameKeys', key + '*', {limit: 200}) YIELD node WHERE node:Fund RETURN node LIMIT 2
  } ELSE [] END AS prefixed
  WITH exact, prefixed, CASE WHEN exact = [] AND prefixed = [] THEN COLLECT {
    CALL db.index.fulltext.queryNodes('nameSearch', '+' + replace($param0, ' ', ' +'), {limit: 200}) YIELD node WHERE node:Fund RETURN node LIMIT 2
  } ELSE [] END AS worded
  UNWIND CASE WHEN exact <> [] THEN exact WHEN size(prefixed) = 1 THEN prefixed WHEN size(worded) = 1 THEN worded ELSE [] END AS node
  RETURN node ORDER BY node.name, node.key
}
WITH node AS this0
WITH this0 { .key } AS this0

LIMIT $param1
RETURN this0 AS this

// parameters
{
  "homeKey": "defence-for-children",
  "param0": "fonds bestrijding kinderarbeid",
  "param1": 100
}
