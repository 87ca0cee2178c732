// statement 1 of 1
MATCH (programme:Programme)-[:RUNS_IN]->(:Country {code: $code})
  RETURN programme { .key, .name, .type, .description, .startYear, .startMonth, .endYear, .duration } AS programme ORDER BY programme.name, programme.key
  SKIP $offset LIMIT $limit

// parameters
{
  "limit": 100,
  "offset": 0,
  "code": "ET"
}
