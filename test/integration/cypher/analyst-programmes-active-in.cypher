// statement 1 of 1
CYPHER 5
CALL {
  MATCH (programme:Programme)
  WHERE programme.startYear <= $param0 <= coalesce(programme.endYear, programme.startYear)
  RETURN programme ORDER BY programme.name
}
WITH programme AS this0
WITH this0 { .key, .name } AS this0

LIMIT $param1
RETURN this0 AS this

// parameters
{
  "homeKey": "defence-for-children",
  "param0": 2019,
  "param1": 100
}
