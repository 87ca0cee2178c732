// statement 1 of 1
OPTIONAL MATCH (v:Setting {name: 'graphVersion'})
  OPTIONAL MATCH (r:Setting {name: 'moneyRollup'})
  WITH r.generation AS generation, r.generation STARTS WITH v.value + '/' AS fresh
  CALL (generation, fresh) {
    MATCH (cell:MoneyRollup {rollup: $rollup, version: generation})
    WHERE fresh AND cell.type IN $types
    WITH cell.country AS code, null AS sectorKey,
         cell.year AS year, cell.type AS type, cell.currency AS currency,
         sum(cell.value) AS value, sum(cell.count) AS count, max(cell.maxShare) < 1.0 AS apportioned
    OPTIONAL MATCH (country:Country {code: code})
    WITH *, null AS sector
    WITH {
      funder: null, recipient: null, country: country { .code, .nameEn, .nameNl }, year: year, programme: null,
      sector: sector { .key, .code, .vocabulary, .name, .category, .categoryName }, type: type, currency: currency, value: value, count: count,
      apportioned: apportioned
    } AS row
    ORDER BY coalesce(code, ''), coalesce(year, 0), coalesce(sectorKey, ''), type, currency
    SKIP $offset LIMIT $limit
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
