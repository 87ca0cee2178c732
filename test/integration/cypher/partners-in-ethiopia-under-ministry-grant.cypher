// statement 1 of 2
CYPHER 5
CALL {
  MATCH (o:Organisation {key: $homeKey}) RETURN o
}
WITH o AS this0
WITH this0 { .name } AS this0

LIMIT $param0
RETURN this0 AS this

// parameters
{
  "homeKey": "defence-for-children",
  "param0": 100
}

// statement 2 of 2
MATCH (us:Organisation {key: $us})-[ours:PARTICIPATES_IN]->(programme:Programme)
  WHERE $country IS NULL OR $country IN ours.countries
     OR (ours.countries = [] AND EXISTS { (programme)-[:RUNS_IN]->(:Country {code: $country}) })
  // A programme nobody is said to fund still has partners: its funding list is just empty.
  OPTIONAL CALL (programme) {
    MATCH (source)-[funds:FUNDS]->(programme)
    WHERE source:Organisation OR source:Fund
    OPTIONAL MATCH (owner:Organisation)-[owns:OWNS]->(source:Fund)
    RETURN CASE WHEN source:Fund THEN owner ELSE source END AS funder,
           CASE WHEN source:Fund THEN source END AS fund, funds, owns
    ORDER BY coalesce(funder.name, ''), coalesce(fund.name, ''), funder.key, fund.key
  }
  WITH us, ours, programme, collect(CASE WHEN funds IS NULL THEN null ELSE {
         funder: funder { .key, .name, .nameEn, .kind, .named, .iatiOrganisationType, .iatiRef }, fund: fund { .key, .name, .acronym, .kind }, coFinancing: funds.coFinancing,
         sameGrant: funder IS NOT NULL AND CASE WHEN fund IS NULL
           THEN EXISTS { (funder)-[:OWNS]->(:Fund)-[:FUNDS]->(programme) }
           ELSE EXISTS { (funder)-[:FUNDS]->(programme) } END,
         evidence: [{ fact: coalesce(funder.name, fund.name) + ' FUNDS ' + programme.name + coalesce(' through ' + fund.name, ''),
                      quote: funds.quote, source: funds.source, basis: funds.basis }]
       } END) AS funding
  WHERE ($funderKind IS NULL OR any(route IN funding WHERE route.funder.kind = $funderKind))
    AND ($funderIatiType IS NULL OR any(route IN funding WHERE route.funder.iatiOrganisationType = $funderIatiType))
  MATCH (partner:Organisation)-[theirs:PARTICIPATES_IN]->(programme)
  WHERE partner <> us AND ($includeUnnamed OR partner.named)
    AND ($country IS NULL OR theirs.countries = [] OR $country IN theirs.countries)
  // The page first, then the money and the projections: only for the rows returned.
  WITH us, ours, programme, funding, partner, theirs
  ORDER BY programme.name, programme.key, CASE theirs.role WHEN 'LEAD' THEN 0 WHEN 'PARTNER' THEN 1 WHEN 'IMPLEMENTING' THEN 2 WHEN 'LOCAL_PARTNER' THEN 3 ELSE 4 END, toLower(partner.name), partner.key
  SKIP $offset LIMIT $limit
  
  CALL (programme, partner) {
    OPTIONAL MATCH (programme)-[:HAS_TRANSACTION]->(t:Transaction)
    WHERE EXISTS { (t)-[:RECEIVED_BY]->(partner) }
    WITH t.type AS type, t.currency AS currency, sum(t.value) AS value, count(t) AS count
    ORDER BY type, currency
    RETURN collect(CASE WHEN type IS NULL THEN null ELSE
      { type: type, currency: currency, value: value, count: count } END) AS received
  }
  RETURN {
    organisation: partner { .key, .name, .nameEn, .kind, .named, .iatiOrganisationType, .iatiRef },
    role: theirs.role,
    countries: COLLECT { MATCH (c:Country) WHERE c.code IN theirs.countries RETURN c { .code, .nameEn, .nameNl } ORDER BY c.code },
    places: COLLECT { MATCH (pl:Place) WHERE pl.key IN coalesce(theirs.places, []) RETURN pl { .key, .name } ORDER BY pl.name },
    programme: programme { .key, .name, .type, .description, .startYear, .startMonth, .endYear, .duration },
    funding: [route IN funding | route { .funder, .fund, .coFinancing, .sameGrant }],
    evidence: [
      { fact: partner.name + ' ' + theirs.role + ' in ' + programme.name, quote: theirs.quote, source: theirs.source, basis: theirs.basis },
      { fact: us.name + ' ' + ours.role + ' in ' + programme.name, quote: ours.quote, source: ours.source, basis: ours.basis }
    ] + reduce(acc = [], route IN funding | acc + route.evidence),
    received: received
  } AS partner
  // `partner` is the returned map here: its organisation's name and key break ties.
  ORDER BY programme.name, programme.key, CASE theirs.role WHEN 'LEAD' THEN 0 WHEN 'PARTNER' THEN 1 WHEN 'IMPLEMENTING' THEN 2 WHEN 'LOCAL_PARTNER' THEN 3 ELSE 4 END,
    toLower(partner.organisation.name), partner.organisation.key

// parameters
{
  "limit": 100,
  "offset": 0,
  "us": "defence-for-children",
  "country": "ET",
  "funderKind": "MINISTRY",
  "funderIatiType": null,
  "includeUnnamed": true
}
