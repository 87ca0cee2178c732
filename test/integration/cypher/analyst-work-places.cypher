// statement 1 of 2
CALL () {
    MATCH (o:Organisation {key: $ref}) RETURN o
    UNION
    MATCH (o:Organisation {iatiRef: $ref}) RETURN o
    UNION
    WITH $nameKey AS nameKey WHERE nameKey <> ''
    CALL db.index.fulltext.queryNodes($nameKeyIndex, $nameKeyQuery) YIELD node AS o
    WITH o WHERE o:Organisation
    RETURN o
  }
  RETURN o { .key, .name } AS organisation ORDER BY o.key

// parameters
{
  "ref": "Terre des Hommes",
  "nameKey": "terredeshommes",
  "nameKeyIndex": "nameKeys",
  "nameKeyQuery": "\"terredeshommes\""
}

// statement 2 of 2
MATCH (o:Organisation {key: $us})-[r:PARTICIPATES_IN]->(p:Programme)
  CALL (r, p) {
    UNWIND coalesce(r.countries, []) AS code
    MATCH (c:Country {code: code}) RETURN c, true AS stated
    UNION
    WITH r, p WHERE size(coalesce(r.countries, [])) = 0
    MATCH (p)-[:RUNS_IN]->(c:Country) RETURN c, false AS stated
  }
  WITH DISTINCT c, stated, p ORDER BY p.name, p.key
  WITH c, collect(DISTINCT p) AS programmes, collect(stated) AS stated
  RETURN { country: c { .code, .nameEn, .nameNl }, programmes: [p IN programmes | p { .key, .name, .type, .description, .startYear, .startMonth, .endYear, .duration }],
           stated: any(x IN stated WHERE x) } AS place
  ORDER BY place.country.code

// parameters
{
  "us": "terre-des-hommes-nederland"
}
