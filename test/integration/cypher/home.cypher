// statement 1 of 1
CYPHER 5
CALL {
  MATCH (o:Organisation {key: $homeKey}) RETURN o
}
WITH o AS this0
WITH this0 { .key, .name, .kind } AS this0

LIMIT $param0
RETURN this0 AS this

// parameters
{
  "homeKey": "defence-for-children",
  "param0": 100
}
