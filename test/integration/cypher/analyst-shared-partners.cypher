// statement 1 of 1
MATCH (us:Organisation {key: $us})-[:PARTICIPATES_IN]->(p:Programme)<-[:PARTICIPATES_IN]-(o:Organisation)
  WHERE o <> us
  WITH DISTINCT o, p ORDER BY p.name, p.key
  WITH o, collect(p) AS programmes
  WHERE size(programmes) >= $minProgrammes
  ORDER BY size(programmes) DESC, o.name, o.key
  SKIP $offset LIMIT $limit
  RETURN { organisation: o { .key, .name, .nameEn, .kind, .named, .iatiOrganisationType, .iatiRef }, programmes: [p IN programmes | p { .key, .name, .type, .description, .startYear, .startMonth, .endYear, .duration }] } AS shared

// parameters
{
  "limit": 100,
  "offset": 0,
  "us": "defence-for-children",
  "minProgrammes": 2
}
