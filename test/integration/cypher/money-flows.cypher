// statement 1 of 4
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

// statement 2 of 4
MATCH (funder:Organisation {key: $funder})<-[:PROVIDED_BY]-(t:Transaction)<-[:HAS_TRANSACTION]-(p:Programme)
  WHERE t.type IN $types
  OPTIONAL MATCH (t)-[:RECEIVED_BY]->(recipient:Organisation)
  WITH p, t, funder AS funder, recipient AS recipient
  CALL (funder, p) {
    // From the programme, which few funds pay, not from the funder, whose funds may pay
    // thousands of programmes each: for a hub funder's 14,674 rows, 0.16 M database hits
    // instead of 1.18 M, and 0.35 s instead of 0.48 s for the whole statement.
    OPTIONAL MATCH (p)<-[:FUNDS]-(fund:Fund)
    WHERE EXISTS { (funder)-[:OWNS]->(fund) }
    RETURN fund ORDER BY fund.key LIMIT 1
  }
  WITH funder, fund, p, recipient, t.currency AS currency,
       sum(t.value) AS value, count(DISTINCT t) AS count,
       collect(DISTINCT t.type) AS types, collect(t.sources) AS sources,
       false AS apportioned
  // A list, not a map: a hub funder's flow is tens of thousands of rows, and the driver reads
  // a list of them in about half the time of maps with named fields (moneyFlowRow names them).
  RETURN [
    funder.key, funder.name, fund.key, fund.name, p.key, p.name, recipient.key, recipient.name,
    currency, value, count, types, reduce(all = [], s IN sources | all + [x IN s WHERE NOT x IN all]),
    apportioned
  ] AS row
  ORDER BY coalesce(funder.key, ''), coalesce(fund.key, ''), p.key, coalesce(recipient.key, ''), currency

// parameters
{
  "funder": "ministerie-buitenlandse-zaken",
  "recipient": null,
  "country": null,
  "programme": null,
  "types": [
    "DISBURSEMENT",
    "EXPENDITURE"
  ],
  "fromYear": null,
  "toYear": null
}

// statement 3 of 4
MATCH (funder:Organisation {key: $funder})<-[:PROVIDED_BY]-(t:Transaction)<-[:HAS_TRANSACTION]-(p:Programme)
  OPTIONAL MATCH (t)-[:RECEIVED_BY]->(recipient:Organisation)
  WITH p, t, funder AS funder, recipient AS recipient
  CALL (funder, p) {
    // From the programme, which few funds pay, not from the funder, whose funds may pay
    // thousands of programmes each: for a hub funder's 14,674 rows, 0.16 M database hits
    // instead of 1.18 M, and 0.35 s instead of 0.48 s for the whole statement.
    OPTIONAL MATCH (p)<-[:FUNDS]-(fund:Fund)
    WHERE EXISTS { (funder)-[:OWNS]->(fund) }
    RETURN fund ORDER BY fund.key LIMIT 1
  }
  WITH funder, fund, p, recipient, t.currency AS currency,
       sum(t.value) AS value, count(DISTINCT t) AS count,
       collect(DISTINCT t.type) AS types, collect(t.sources) AS sources,
       false AS apportioned
  // A list, not a map: a hub funder's flow is tens of thousands of rows, and the driver reads
  // a list of them in about half the time of maps with named fields (moneyFlowRow names them).
  RETURN [
    funder.key, funder.name, fund.key, fund.name, p.key, p.name, recipient.key, recipient.name,
    currency, value, count, types, reduce(all = [], s IN sources | all + [x IN s WHERE NOT x IN all]),
    apportioned
  ] AS row
  ORDER BY coalesce(funder.key, ''), coalesce(fund.key, ''), p.key, coalesce(recipient.key, ''), currency

// parameters
{
  "funder": "ministerie-buitenlandse-zaken",
  "recipient": null,
  "country": null,
  "programme": null,
  "types": null,
  "fromYear": null,
  "toYear": null
}

// statement 4 of 4
CALL () {
    WITH 1 AS start WHERE $funder IS NOT NULL
    MATCH (:Organisation {key: $funder})-[:FUNDS]->(programme:Programme) RETURN programme
    UNION
    WITH 1 AS start WHERE $funder IS NOT NULL
    MATCH (:Organisation {key: $funder})-[:OWNS]->(:Fund)-[:FUNDS]->(programme:Programme) RETURN programme
    UNION
    WITH 1 AS start WHERE $funder IS NULL AND $recipient IS NOT NULL
    MATCH (:Organisation {key: $recipient})-[:PARTICIPATES_IN]->(programme:Programme) RETURN programme
    UNION
    WITH 1 AS start WHERE $funder IS NULL AND $recipient IS NULL AND $programme IS NOT NULL
    MATCH (programme:Programme {key: $programme}) RETURN programme
    UNION
    WITH 1 AS start WHERE $funder IS NULL AND $recipient IS NULL AND $programme IS NULL AND $country IS NOT NULL
    MATCH (:Country {code: $country})<-[:RUNS_IN]-(programme:Programme) RETURN programme
  }
  WITH programme
  WHERE ($programme IS NULL OR programme.key = $programme)
    AND ($country IS NULL OR EXISTS { (programme)-[:RUNS_IN]->(:Country {code: $country}) })
    AND ($recipient IS NULL OR EXISTS { (:Organisation {key: $recipient})-[:PARTICIPATES_IN]->(programme) })
  
  CALL (programme) {
    MATCH (source)-[funds:FUNDS]->(programme)
    WHERE source:Organisation OR source:Fund
    OPTIONAL MATCH (owner:Organisation)-[owns:OWNS]->(source:Fund)
    RETURN CASE WHEN source:Fund THEN owner ELSE source END AS funder,
           CASE WHEN source:Fund THEN source END AS fund, funds, owns
  }
  WITH programme, funder, fund, funds
  WHERE $funder IS NULL OR funder.key = $funder
  WITH programme, collect({ funder: funder { .key, .name }, fund: fund { .key, .name }, sources: funds.sources }) AS routes
  WHERE size(routes) > 0
  RETURN {
    programme: programme { .key, .name },
    routes: routes,
    participants: COLLECT {
      MATCH (o:Organisation)-[r:PARTICIPATES_IN]->(programme)
      WHERE $recipient IS NULL OR o.key = $recipient
      RETURN { recipient: o { .key, .name }, sources: r.sources } AS participant
      ORDER BY o.key
    }
  } AS relations
  ORDER BY programme.key

// parameters
{
  "funder": "ministerie-buitenlandse-zaken",
  "recipient": null,
  "country": null,
  "programme": null
}
