// statement 1 of 1
MATCH (p:Programme)-[:HAS_TRANSACTION]->(t:Transaction)
  WHERE t.type IN $types
  WITH p, t, null AS funder, null AS recipient,
       [(p)-[r:RUNS_IN]->(c:Country) | { c: c, pct: r.percentage }] AS places
  UNWIND CASE WHEN size(places) = 0 THEN [{ c: null, share: 1.0 }]
    ELSE [x IN places | { c: x.c, share: coalesce(x.pct, 100.0 / size(places)) / 100.0 }] END AS share
  WITH p, t, funder, recipient, share
  WITH p, t, funder, recipient, share, { s: null, share: 1.0 } AS sectorShare
  WITH null AS funder,
       null AS recipient,
       share.c AS country,
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
    "recipient": false,
    "country": true,
    "year": true,
    "programme": false,
    "sector": false
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
