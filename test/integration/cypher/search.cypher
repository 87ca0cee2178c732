// statement 1 of 1
CALL db.index.fulltext.queryNodes($index, $query, { limit: $limit * 3 + 20 }) YIELD node, score
  // A group the source mentions without naming it ("relevante overheidsorganisaties (…)")
  // counts half: named organisations, programmes and funds come first at like relevance.
  WITH node, score * CASE WHEN node.named = false THEN 0.5 ELSE 1.0 END AS score
  RETURN {
    type: [label IN labels(node) WHERE label IN ['Organisation', 'Programme', 'Fund']][0],
    key: node.key, name: node.name, nameEn: node.nameEn, aliases: coalesce(node.aliases, []), score: score
  } AS hit
  ORDER BY score DESC, hit.name, hit.key
  LIMIT $limit

// parameters
{
  "index": "nameSearch",
  "query": "terre des hommes",
  "limit": 10
}
