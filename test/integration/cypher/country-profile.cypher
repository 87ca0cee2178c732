// statement 1 of 3
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
  RETURN { country: c { .code, .nameEn, .nameNl }, programmes: programmes } AS profile

// parameters
{
  "limit": 100,
  "offset": 0,
  "code": "ET"
}

// statement 2 of 3
MATCH (c:Country {code: $code})
  CALL (c) {
    MATCH (p:Programme)-[:RUNS_IN]->(c)
    MATCH (o:Organisation)-[:FUNDS|OWNS*1..2]->(p)
    WITH o, count(DISTINCT p) AS n ORDER BY n DESC, o.name, o.key LIMIT $limit
    RETURN collect({ funder: o { .key, .name, .nameEn, .kind, .named, .iatiOrganisationType, .iatiRef }, programmes: n }) AS funders
  }
  RETURN funders

// parameters
{
  "limit": 100,
  "offset": 0,
  "code": "ET"
}

// statement 3 of 3
OPTIONAL MATCH (v:Setting {name: 'graphVersion'})
  OPTIONAL MATCH (r:Setting {name: 'moneyRollup'})
  // Fresh: summed for the graph as it is, and with this set (a generation summed by a version
  // of this code that had fewer sets, which names none, has none of the others' cells: those
  // are answered live).
  WITH r.generation AS generation,
       r.generation STARTS WITH v.value + '/' AND r.setsOf = r.generation
         AND $rollup IN r.sets AS fresh
  CALL (generation, fresh) {
    MATCH (cell:MoneyRollup {rollup: $rollup, version: generation})
    USING INDEX SEEK cell:MoneyRollup(rollup, version, country)
    WHERE fresh AND cell.country = $country
    WITH cell.funder AS funderKey, cell.funderName AS funderName,
         null AS code, null AS sectorKey,
         cell.year AS year, cell.type AS type, cell.currency AS currency,
         sum(cell.value) AS value, sum(cell.count) AS count, max(cell.maxShare) < 1.0 AS apportioned
    // The page first (as the live statement orders it), then the nodes of its rows alone.
    ORDER BY coalesce(funderName, ''), coalesce(funderKey, ''), coalesce(code, ''), coalesce(year, 0),
      coalesce(sectorKey, ''), type, currency SKIP $offset LIMIT $limit
    OPTIONAL MATCH (funder:Organisation {key: funderKey})
    WITH *, null AS country
    WITH *, null AS sector
    WITH funderName, funderKey, code, year, sectorKey, type, currency, {
      funder: funder { .key, .name, .nameEn, .kind, .named, .iatiOrganisationType, .iatiRef }, recipient: null, country: country { .code, .nameEn, .nameNl }, year: year,
      programme: null, sector: sector { .key, .code, .vocabulary, .name, .category, .categoryName }, type: type, currency: currency, value: value,
      count: count, apportioned: apportioned
    } AS row
    ORDER BY coalesce(funderName, ''), coalesce(funderKey, ''), coalesce(code, ''), coalesce(year, 0),
      coalesce(sectorKey, ''), type, currency
    RETURN collect(row) AS rows
  }
  RETURN fresh, rows

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
  "programme": null,
  "rollup": "country+funder"
}
