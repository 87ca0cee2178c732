// statement 1 of 1
MATCH (n:Programme {key: $key})-[r]-(m)
  WHERE m:Organisation OR m:Programme OR m:Fund OR m:Country
  WITH r, m, startNode(r) AS a, endNode(r) AS b
  ORDER BY type(r), coalesce(r.role, ''), coalesce(m.name, m.nameEn), elementId(r)
  SKIP $offset LIMIT $limit
  RETURN {
    id: coalesce(r.fid, elementId(r)), type: type(r), role: r.role, coFinancing: r.coFinancing,
    from: {
    id: CASE WHEN a:Organisation THEN 'ORGANISATION' WHEN a:Programme THEN 'PROGRAMME' WHEN a:Fund THEN 'FUND' ELSE 'COUNTRY' END + ':' + coalesce(a.key, a.code), type: CASE WHEN a:Organisation THEN 'ORGANISATION' WHEN a:Programme THEN 'PROGRAMME' WHEN a:Fund THEN 'FUND' ELSE 'COUNTRY' END,
    key: coalesce(a.key, a.code), name: coalesce(a.name, a.nameEn),
    kind: coalesce(a.kind, a.type) }, to: {
    id: CASE WHEN b:Organisation THEN 'ORGANISATION' WHEN b:Programme THEN 'PROGRAMME' WHEN b:Fund THEN 'FUND' ELSE 'COUNTRY' END + ':' + coalesce(b.key, b.code), type: CASE WHEN b:Organisation THEN 'ORGANISATION' WHEN b:Programme THEN 'PROGRAMME' WHEN b:Fund THEN 'FUND' ELSE 'COUNTRY' END,
    key: coalesce(b.key, b.code), name: coalesce(b.name, b.nameEn),
    kind: coalesce(b.kind, b.type) },
    quote: r.quote, source: r.source, basis: r.basis
  } AS edge

// parameters
{
  "limit": 100,
  "offset": 0,
  "type": "PROGRAMME",
  "key": "down-to-zero"
}
