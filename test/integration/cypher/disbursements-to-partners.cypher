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
  "ref": "Plan International Nederland",
  "nameKey": "planinternationalnederland",
  "nameKeyIndex": "nameKeys",
  "nameKeyQuery": "\"planinternationalnederland\""
}

// statement 2 of 2
MATCH (funder:Organisation {key: $funder})<-[:PROVIDED_BY]-(t:Transaction)<-[:HAS_TRANSACTION]-(p:Programme)
  WHERE t.type IN $types
  OPTIONAL MATCH (t)-[:RECEIVED_BY]->(recipient:Organisation)
  WITH p, t, funder AS funder, recipient AS recipient
  WITH recipient, t.year AS year, t.type AS type, t.currency AS currency,
       sum(t.value) AS value, count(DISTINCT t) AS count, false AS apportioned
  ORDER BY coalesce(recipient.name, ''), coalesce(recipient.key, ''), coalesce(year, 0), type, currency
  SKIP $offset LIMIT $limit
  RETURN {
    funder: null, recipient: recipient { .key, .name, .nameEn, .kind, .named, .iatiOrganisationType, .iatiRef },
    country: null, year: year,
    programme: null, sector: null,
    type: type, currency: currency, value: value, count: count, apportioned: apportioned
  } AS row

// parameters
{
  "limit": 100,
  "offset": 0,
  "by": {
    "funder": false,
    "recipient": true,
    "country": false,
    "year": true,
    "programme": false,
    "sector": false
  },
  "types": [
    "DISBURSEMENT"
  ],
  "funder": "plan-international-nederland",
  "recipient": null,
  "country": null,
  "programme": null,
  "year": null
}
