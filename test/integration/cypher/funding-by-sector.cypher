// statement 1 of 1
CALL () {
    WITH 1 AS start WHERE $funder IS NOT NULL
    MATCH (:Organisation {key: $funder})<-[:PROVIDED_BY]-(t:Transaction) RETURN t
    UNION ALL
    WITH 1 AS start WHERE $funder IS NULL AND $recipient IS NOT NULL
    MATCH (:Organisation {key: $recipient})<-[:RECEIVED_BY]-(t:Transaction) RETURN t
    UNION ALL
    WITH 1 AS start WHERE $funder IS NULL AND $recipient IS NULL AND $programme IS NOT NULL
    MATCH (:Programme {key: $programme})-[:HAS_TRANSACTION]->(t:Transaction) RETURN t
    UNION ALL
    WITH 1 AS start WHERE $funder IS NULL AND $recipient IS NULL AND $programme IS NULL AND $country IS NOT NULL
    MATCH (:Country {code: $country})<-[:RUNS_IN]-(:Programme)-[:HAS_TRANSACTION]->(t:Transaction) RETURN t
    UNION ALL
    WITH 1 AS start WHERE $funder IS NULL AND $recipient IS NULL AND $programme IS NULL AND $country IS NULL AND $year IS NOT NULL
    MATCH (t:Transaction {year: $year}) RETURN t
    UNION ALL
    WITH 1 AS start WHERE $funder IS NULL AND $recipient IS NULL AND $programme IS NULL AND $country IS NULL AND $year IS NULL
    MATCH (t:Transaction) RETURN t
  }
  MATCH (p:Programme)-[:HAS_TRANSACTION]->(t)
  WHERE ($types IS NULL OR t.type IN $types) AND ($year IS NULL OR t.year = $year)
    AND ($programme IS NULL OR p.key = $programme)
  OPTIONAL MATCH (t)-[:PROVIDED_BY]->(funder:Organisation)
  OPTIONAL MATCH (t)-[:RECEIVED_BY]->(recipient:Organisation)
  WITH p, t, funder, recipient
  WHERE ($funder IS NULL OR funder.key = $funder) AND ($recipient IS NULL OR recipient.key = $recipient)
  CALL (p) {
    OPTIONAL MATCH (p)-[r:RUNS_IN]->(c:Country) WHERE $by.country OR $country IS NOT NULL
    WITH collect(CASE WHEN c IS NULL THEN null ELSE { c: c, pct: r.percentage } END) AS places
    RETURN CASE
      WHEN NOT ($by.country OR $country IS NOT NULL) OR size(places) = 0 THEN [{ c: null, share: 1.0 }]
      ELSE [x IN places | { c: x.c, share: coalesce(x.pct, 100.0 / size(places)) / 100.0 }]
    END AS shares
  }
  UNWIND shares AS share
  WITH p, t, funder, recipient, share
  WHERE $country IS NULL OR share.c.code = $country
  CALL (p, t) {
    // Sectors only when the question is about sectors: the transaction's own, else its
    // programme's; DAC 5-digit codes when there are any, else 3-digit categories.
    OPTIONAL MATCH (t)-[r:IN_SECTOR]->(s:Sector) WHERE $by.sector
    WITH collect(CASE WHEN s IS NULL THEN null ELSE { s: s, pct: r.percentage } END) AS own
    OPTIONAL MATCH (p)-[r:IN_SECTOR]->(s:Sector) WHERE $by.sector AND own = []
    WITH own, collect(CASE WHEN s IS NULL THEN null ELSE { s: s, pct: r.percentage } END) AS inherited
    WITH CASE WHEN own <> [] THEN own ELSE inherited END AS found
    WITH CASE WHEN any(x IN found WHERE x.s.vocabulary = '1')
           THEN [x IN found WHERE x.s.vocabulary = '1'] ELSE found END AS found
    RETURN CASE
      WHEN NOT $by.sector OR size(found) = 0 THEN [{ s: null, share: 1.0 }]
      ELSE [x IN found | { s: x.s, share: coalesce(x.pct, 100.0 / size(found)) / 100.0 }]
    END AS sectorShares
  }
  UNWIND sectorShares AS sectorShare
  WITH CASE WHEN $by.funder THEN funder END AS funder,
       CASE WHEN $by.recipient THEN recipient END AS recipient,
       CASE WHEN $by.country THEN share.c END AS country,
       CASE WHEN $by.year THEN t.year END AS year,
       CASE WHEN $by.programme THEN p END AS programme,
       CASE WHEN $by.sector THEN sectorShare.s END AS sector,
       t.type AS type, t.currency AS currency,
       sum(t.value * share.share * sectorShare.share) AS value, count(DISTINCT t) AS count,
       max(share.share * sectorShare.share) < 1.0 AS apportioned
  RETURN {
    funder: funder { .key, .name, .nameEn, .kind, .named, .iatiOrganisationType, .iatiRef }, recipient: recipient { .key, .name, .nameEn, .kind, .named, .iatiOrganisationType, .iatiRef }, country: country { .code, .nameEn, .nameNl }, year: year,
    programme: programme { .key, .name, .type, .description, .startYear, .startMonth, .endYear, .duration }, sector: sector { .key, .code, .vocabulary, .name, .category, .categoryName }, type: type, currency: currency,
    value: value, count: count, apportioned: apportioned
  } AS row
  ORDER BY coalesce(funder.name, ''), coalesce(recipient.name, ''), coalesce(country.code, ''),
    coalesce(year, 0), coalesce(programme.name, ''), coalesce(programme.key, ''),
    coalesce(sector.key, ''), type, currency
  SKIP $offset LIMIT $limit

// parameters
{
  "limit": 100,
  "offset": 0,
  "by": {
    "funder": false,
    "recipient": false,
    "country": false,
    "year": false,
    "programme": false,
    "sector": true
  },
  "types": [
    "DISBURSEMENT",
    "EXPENDITURE"
  ],
  "funder": null,
  "recipient": null,
  "country": null,
  "programme": null,
  "year": null
}
