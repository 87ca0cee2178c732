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
  "ref": "Ministerie van Buitenlandse Zaken",
  "nameKey": "ministerievanbuitenlandsezaken",
  "nameKeyIndex": "nameKeys",
  "nameKeyQuery": "\"ministerievanbuitenlandsezaken\""
}

// statement 2 of 2
MATCH (funder:Organisation {key: $funder})
  CALL (funder) {
    MATCH (funder)-[:FUNDS]->(programme:Programme) RETURN programme, null AS fund
    UNION
    MATCH (funder)-[:OWNS]->(fund:Fund)-[:FUNDS]->(programme:Programme) RETURN programme, fund
  }
  // The page first, then the money and the projections: only for the programmes returned.
  WITH funder, programme, fund
  ORDER BY programme.name, programme.key, coalesce(fund.name, '')
  SKIP $offset LIMIT $limit
  CALL (programme) {
    OPTIONAL MATCH (programme)-[:HAS_BUDGET]->(b:Budget)
    WITH b.kind AS kind, b.currency AS currency, sum(b.value) AS value, count(b) AS count
    ORDER BY kind, currency
    RETURN collect(CASE WHEN kind IS NULL THEN null ELSE
      { kind: kind, currency: currency, value: value, count: count } END) AS budgets
  }
  
  CALL (programme, funder) {
    OPTIONAL MATCH (programme)-[:HAS_TRANSACTION]->(t:Transaction)
    WHERE EXISTS { (t)-[:PROVIDED_BY]->(funder) }
    WITH t.type AS type, t.currency AS currency, sum(t.value) AS value, count(t) AS count
    ORDER BY type, currency
    RETURN collect(CASE WHEN type IS NULL THEN null ELSE
      { type: type, currency: currency, value: value, count: count } END) AS provided
  }
  RETURN {
    programme: programme { .key, .name, .type, .description, .startYear, .startMonth, .endYear, .duration },
    fund: fund { .key, .name, .acronym, .kind },
    leads: COLLECT { MATCH (l:Organisation)-[p:PARTICIPATES_IN]->(programme) WHERE p.role = 'LEAD' RETURN l { .key, .name, .nameEn, .kind, .named, .iatiOrganisationType, .iatiRef } ORDER BY l.name },
    countries: COLLECT { MATCH (programme)-[:RUNS_IN]->(c:Country) RETURN c { .code, .nameEn, .nameNl } ORDER BY c.code },
    budgets: budgets,
    provided: provided
  } AS item
  ORDER BY programme.name, programme.key, coalesce(fund.name, '')

// parameters
{
  "limit": 100,
  "offset": 0,
  "funder": "ministerie-buitenlandse-zaken"
}
