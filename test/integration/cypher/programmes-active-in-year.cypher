// statement 1 of 1
CYPHER 5
MATCH (this:Programme)
WHERE (this.name STARTS WITH $param0 AND this.startYear <= $param1 AND (this.endYear >= $param2 OR this.startYear = $param3))
WITH *
ORDER BY this.name ASC
LIMIT $param4
RETURN this { .key, .name, .type, .startYear, .endYear } AS this

// parameters
{
  "homeKey": "defence-for-children",
  "param0": "",
  "param1": 2019,
  "param2": 2019,
  "param3": 2019,
  "param4": 100
}
