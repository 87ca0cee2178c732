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
  WITH p, t, funder AS funder, recipient AS recipient, { c: null, share: 1.0 } AS share
  WITH p, t, funder, recipient, share, { s: null, share: 1.0 } AS sectorShare
  WITH null AS funder,
       recipient AS recipient,
       null AS country,
       t.year AS year,
       null AS programme,
       null AS sector,
       t.type AS type, t.currency AS currency,
       sum(t.value * share.share * sectorShare.share) AS value, count(DISTINCT t) AS count,
       max(share.share * sectorShare.share) < 1.0 AS apportioned
  RETURN {
    funder: funder { .key, .name, .nameEn, .kind, .named, .iatiOrganisationType, .iatiRef }, recipient: recipient { .key, .name, .nameEn, .kind, .named, .iatiOrganisationType, .iatiRef }, country: country { .code, .nameEn, .nameNl }, year: year,
    programme: programme { .key, .name, .type, .description, .startYear, .startMonth, .endYear, .duration }, sector: sector { .key, .code, .vocabulary, .name, .category, .categoryName }, type: type, currency: currency,
    value: value, count: count, apportioned: apportioned
  } AS row
  ORDER BY coalesce(funder.name, ''), coalesce(funder.key, ''), coalesce(recipient.name, ''),
    coalesce(recipient.key, ''), coalesce(country.code, ''), coalesce(year, 0),
    coalesce(programme.name, ''), coalesce(programme.key, ''), coalesce(sector.key, ''), type, currency
  SKIP $offset LIMIT $limit

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
