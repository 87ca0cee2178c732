// statement 1 of 1
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
    
    WHERE fresh AND cell.type IN $types
    WITH null AS funderKey, null AS funderName,
         cell.country AS code, null AS sectorKey,
         cell.year AS year, cell.type AS type, cell.currency AS currency,
         sum(cell.value) AS value, sum(cell.count) AS count, max(cell.maxShare) < 1.0 AS apportioned
    // The page first (as the live statement orders it), then the nodes of its rows alone.
    ORDER BY coalesce(funderName, ''), coalesce(funderKey, ''), coalesce(code, ''), coalesce(year, 0),
      coalesce(sectorKey, ''), type, currency SKIP $offset LIMIT $limit
    WITH *, null AS funder
    OPTIONAL MATCH (country:Country {code: code})
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
  "year": null,
  "rollup": "country"
}
