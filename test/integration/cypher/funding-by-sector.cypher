// statement 1 of 1
MATCH (p:Programme)-[:HAS_TRANSACTION]->(t:Transaction)
  WHERE t.type IN $types
  WITH p, t, null AS funder, null AS recipient, { c: null, share: 1.0 } AS share
  WITH p, t, funder, recipient, share, [(t)-[r:IN_SECTOR]->(s:Sector) | { s: s, pct: r.percentage }] AS own
  WITH p, t, funder, recipient, share,
       CASE WHEN own <> [] THEN own ELSE [(p)-[r:IN_SECTOR]->(s:Sector) | { s: s, pct: r.percentage }] END AS found
  WITH p, t, funder, recipient, share,
       CASE WHEN any(x IN found WHERE x.s.vocabulary = '1')
         THEN [x IN found WHERE x.s.vocabulary = '1'] ELSE found END AS found
  UNWIND CASE WHEN size(found) = 0 THEN [{ s: null, share: 1.0 }]
    ELSE [x IN found | { s: x.s, share: coalesce(x.pct, 100.0 / size(found)) / 100.0 }] END AS sectorShare
  WITH null AS funder,
       null AS recipient,
       null AS country,
       null AS year,
       null AS programme,
       sectorShare.s AS sector,
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
