// statement 1 of 1
MATCH (c:Country) WHERE $nameKey IN c.nameKeys RETURN c.code AS code

// parameters
{
  "nameKey": "filippijnen"
}
