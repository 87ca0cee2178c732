// statement 1 of 1
CYPHER 5
MATCH (this:Organisation)
CALL (this) {
  MATCH (this)-[this0:FUNDS]->(this1:Programme)
  WITH DISTINCT this1
  RETURN count(this1) > $param0 AS var2
}
CALL (this) {
  MATCH (this)-[:OWNS]->(this3:Fund)
  CALL (this3) {
    MATCH (this3)-[this4:FUNDS]->(this5:Programme)
    WITH DISTINCT this5
    RETURN count(this5) > $param1 AS var6
  }
  WITH *
  WHERE var6 = true
  RETURN count(this3) > 0 AS var7
}
WITH *
WHERE (var2 = true OR var7 = true)
WITH *
ORDER BY this.name ASC
LIMIT $param2
CALL (this) {
  MATCH (this)-[this8:FUNDS]->(this9:Programme)
  WITH DISTINCT this9
  WITH *
  ORDER BY this9.name ASC
  LIMIT $param3
  CALL (this9) {
    MATCH (this9)-[this10:RUNS_IN]->(this11:Country)
    WITH DISTINCT this11
    WITH this11 { .code, .nameEn } AS this11
    ORDER BY this11.code ASC
    LIMIT $param4
    RETURN collect(this11) AS var12
  }
  WITH this9 { .name, .type, countries: var12 } AS this9
  ORDER BY this9.name ASC
  LIMIT $param5
  RETURN collect(this9) AS var13
}
CALL (this) {
  MATCH (this)-[this14:OWNS]->(this15:Fund)
  WITH DISTINCT this15
  WITH *
  ORDER BY this15.name ASC
  LIMIT $param6
  CALL (this15) {
    MATCH (this15)-[this16:FUNDS]->(this17:Programme)
    WITH DISTINCT this17
    WITH *
    ORDER BY this17.name ASC
    LIMIT $param7
    CALL (this17) {
      MATCH (this17)-[this18:RUNS_IN]->(this19:Country)
      WITH DISTINCT this19
      WITH this19 { .code, .nameEn } AS this19
      ORDER BY this19.code ASC
      LIMIT $param8
      RETURN collect(this19) AS var20
    }
    WITH this17 { .name, .type, countries: var20 } AS this17
    ORDER BY this17.name ASC
    LIMIT $param9
    RETURN collect(this17) AS var21
  }
  WITH this15 { .name, .acronym, finances: var21 } AS this15
  ORDER BY this15.name ASC
  LIMIT $param10
  RETURN collect(this15) AS var22
}
RETURN this { .key, .name, .kind, finances: var13, owns: var22 } AS this

// parameters
{
  "homeKey": "defence-for-children",
  "param0": 0,
  "param1": 0,
  "param2": 100,
  "param3": 100,
  "param4": 100,
  "param5": 100,
  "param6": 100,
  "param7": 100,
  "param8": 100,
  "param9": 100,
  "param10": 100
}
