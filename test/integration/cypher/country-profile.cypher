// statement 1 of 2
MATCH (c:Country {code: $code})
  CALL (c) {
    MATCH (p:Programme)-[:RUNS_IN]->(c)
    WITH c, p ORDER BY p.name, p.key SKIP $offset LIMIT $limit
    WITH p,
      COLLECT { MATCH (o:Organisation)-[:FUNDS|OWNS*1..2]->(p) RETURN DISTINCT o { .key, .name, .nameEn, .kind, .named, .iatiOrganisationType, .iatiRef } ORDER BY o.name, o.key } AS funders,
      COLLECT { MATCH (f:Fund)-[:FUNDS]->(p) RETURN f { .key, .name, .acronym, .kind } ORDER BY f.name, f.key } AS funds,
      COLLECT {
        MATCH (o:Organisation)-[r:PARTICIPATES_IN]->(p)
        WITH o, min(CASE r.role WHEN 'LEAD' THEN 0 WHEN 'PARTNER' THEN 1 WHEN 'IMPLEMENTING' THEN 2 WHEN 'LOCAL_PARTNER' THEN 3 ELSE 4 END) AS rank,
             apoc.coll.toSet(apoc.coll.flatten(collect(coalesce(r.countries, [])))) AS codes
        RETURN {
          organisation: o { .key, .name, .nameEn, .kind, .named, .iatiOrganisationType, .iatiRef },
          here: CASE WHEN codes = [] THEN null ELSE c.code IN codes END,
          countries: COLLECT { MATCH (x:Country) WHERE x.code IN codes RETURN x { .code, .nameEn, .nameNl } ORDER BY x.code }
        } ORDER BY rank, o.name, o.key } AS participation
    RETURN collect({
      programme: p { .key, .name, .type, .description, .startYear, .startMonth, .endYear, .duration }, funders: funders, funds: funds,
      participants: [x IN participation | x.organisation], participation: participation
    }) AS programmes
  }
  CALL (c) {
    MATCH (p:Programme)-[:RUNS_IN]->(c)
    MATCH (o:Organisation)-[:FUNDS|OWNS*1..2]->(p)
    WITH o, count(DISTINCT p) AS n ORDER BY n DESC, o.name, o.key LIMIT $limit
    RETURN collect({ funder: o { .key, .name, .nameEn, .kind, .named, .iatiOrganisationType, .iatiRef }, programmes: n }) AS funders
  }
  RETURN { country: c { .code, .nameEn, .nameNl }, programmes: programmes, funders: funders } AS profile

// parameters
{
  "limit": 100,
  "offset": 0,
  "code": "ET"
}

// statement 2 of 2
MATCH (:Country {code: $country})<-[:RUNS_IN]-(p:Programme)-[:HAS_TRANSACTION]->(t:Transaction)
  OPTIONAL MATCH (t)-[:PROVIDED_BY]->(funder:Organisation)
  WITH p, t, funder AS funder, null AS recipient,
       [(p)-[r:RUNS_IN]->(c:Country) | { c: c, pct: r.percentage }] AS places
  UNWIND CASE WHEN size(places) = 0 THEN [{ c: null, share: 1.0 }]
    ELSE [x IN places | { c: x.c, share: coalesce(x.pct, 100.0 / size(places)) / 100.0 }] END AS share
  WITH p, t, funder, recipient, share.c AS place, share.share AS placeShare
  WHERE place.code = $country
  WITH funder, t.year AS year, t.type AS type, t.currency AS currency,
       sum(t.value * placeShare) AS value, count(DISTINCT t) AS count, max(placeShare) < 1.0 AS apportioned
  ORDER BY coalesce(funder.name, ''), coalesce(funder.key, ''), coalesce(year, 0), type, currency
  SKIP $offset LIMIT $limit
  RETURN {
    funder: funder { .key, .name, .nameEn, .kind, .named, .iatiOrganisationType, .iatiRef }, recipient: null,
    country: null, year: year,
    programme: null, sector: null,
    type: type, currency: currency, value: value, count: count, apportioned: apportioned
  } AS row

// parameters
{
  "limit": 100,
  "offset": 0,
  "by": {
    "funder": true,
    "recipient": false,
    "country": false,
    "year": true,
    "programme": false,
    "sector": false
  },
  "types": null,
  "funder": null,
  "recipient": null,
  "country": "ET",
  "year": null,
  "programme": null
}
