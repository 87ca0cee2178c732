// statement 1 of 1
CYPHER 5
MATCH (this:Organisation)
WHERE (toLower(this.name) CONTAINS toLower($param0) OR toLower(this.nameEn) CONTAINS toLower($param1))
WITH *
ORDER BY this.name ASC
LIMIT $param2
RETURN this { .key, .name, .nameEn, .kind } AS this

// parameters
{
  "homeKey": "defence-for-children",
  "param0": "terre des",
  "param1": "terre des",
  "param2": 100
}
