// statement 1 of 1
CYPHER 5
MATCH (this:Programme)
WHERE (this.startYear <= $param0 AND (this.endYear >= $param1 OR this.startYear = $param2))
WITH *
ORDER BY this.name ASC
LIMIT $param3
RETURN this { .key, .name, .type, .startYear, .endYear } AS this

// parameters
{
  "homeKey": "defence-for-children",
  "param0": 2019,
  "param1": 2019,
  "param2": 2019,
  "param3": 100
}
