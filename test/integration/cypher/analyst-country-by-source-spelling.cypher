// statement 1 of 1
CALL db.index.fulltext.queryNodes($nameKeyIndex, $nameKeyQuery) YIELD node AS c
  WITH c WHERE c:Country
  RETURN c.code AS code ORDER BY code

// parameters
{
  "nameKey": "filippijnen",
  "nameKeyIndex": "nameKeys",
  "nameKeyQuery": "\"filippijnen\""
}
