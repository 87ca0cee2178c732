// statement 1 of 1
CYPHER 5
MATCH (this:Organisation)
WHERE (this.name STARTS WITH $param0 AND (EXISTS {
  MATCH (this)-[:FUNDS]->(this0:Programme)
  WHERE this0.name STARTS WITH $param1
} OR EXISTS {
  MATCH (this)-[:OWNS]->(this1:Fund)
  WHERE EXISTS {
    MATCH (this1)-[:FUNDS]->(this2:Programme)
    WHERE this2.name STARTS WITH $param2
  }
}))
WITH *
ORDER BY this.name ASC
LIMIT $param3
CALL (this) {
  MATCH (this)-[this3:FUNDS]->(this4:Programme)
  WITH DISTINCT this4
  WITH *
  ORDER BY this4.name ASC
  LIMIT $param4
  CALL (this4) {
    MATCH (this4)-[this5:RUNS_IN]->(this6:Country)
    WITH DISTINCT this6
    WITH this6 { .code, .nameEn } AS this6
    ORDER BY this6.code ASC
    LIMIT $param5
    RETURN collect(this6) AS var7
  }
  WITH this4 { .name, .type, countries: var7 } AS this4
  ORDER BY this4.name ASC
  LIMIT $param6
  RETURN collect(this4) AS var8
}
CALL (this) {
  MATCH (this)-[this9:OWNS]->(this10:Fund)
  WITH DISTINCT this10
  WITH *
  ORDER BY this10.name ASC
  LIMIT $param7
  CALL (this10) {
    MATCH (this10)-[this11:FUNDS]->(this12:Programme)
    WITH DISTINCT this12
    WITH *
    ORDER BY this12.name ASC
    LIMIT $param8
    CALL (this12) {
      MATCH (this12)-[this13:RUNS_IN]->(this14:Country)
      WITH DISTINCT this14
      WITH this14 { .code, .nameEn } AS this14
      ORDER BY this14.code ASC
      LIMIT $param9
      RETURN collect(this14) AS var15
    }
    WITH this12 { .name, .type, countries: var15 } AS this12
    ORDER BY this12.name ASC
    LIMIT $param10
    RETURN collect(this12) AS var16
  }
  WITH this10 { .name, .acronym, finances: var16 } AS this10
  ORDER BY this10.name ASC
  LIMIT $param11
  RETURN collect(this10) AS var17
}
RETURN this { .key, .name, .kind, finances: var8, owns: var17 } AS this

// parameters
{
  "homeKey": "defence-for-children",
  "param0": "",
  "param1": "",
  "param2": "",
  "param3": 100,
  "param4": 100,
  "param5": 100,
  "param6": 100,
  "param7": 100,
  "param8": 100,
  "param9": 100,
  "param10": 100,
  "param11": 100
}
