// statement 1 of 1
MATCH (us:Organisation {key: $us})-[ours:PARTICIPATES_IN]->(programme:Programme)
  
  CALL (programme) {
    MATCH (source)-[funds:FUNDS]->(programme)
    WHERE source:Organisation OR source:Fund
    OPTIONAL MATCH (owner:Organisation)-[owns:OWNS]->(source:Fund)
    RETURN CASE WHEN source:Fund THEN owner ELSE source END AS funder,
           CASE WHEN source:Fund THEN source END AS fund, funds, owns
  }
  WITH us, ours, programme, funder, fund, funds, owns
  WHERE ($funderKind IS NULL OR funder.kind = $funderKind)
    AND ($funderIatiType IS NULL OR funder.iatiOrganisationType = $funderIatiType)
  // The page first, then the money and the projections: only for the chains returned.
  WITH us, ours, programme, funder, fund, funds, owns
  ORDER BY coalesce(funder.name, ''), coalesce(fund.name, ''), programme.name,
    funder.key, fund.key, programme.key
  SKIP $offset LIMIT $limit
  
  CALL (programme, funder) {
    OPTIONAL MATCH (programme)-[:HAS_TRANSACTION]->(t:Transaction)
    WHERE EXISTS { (t)-[:PROVIDED_BY]->(funder) }
    WITH t.type AS type, t.currency AS currency, sum(t.value) AS value, count(t) AS count
    ORDER BY type, currency
    RETURN collect(CASE WHEN type IS NULL THEN null ELSE
      { type: type, currency: currency, value: value, count: count } END) AS provided
  }
  
  CALL (programme, us) {
    OPTIONAL MATCH (programme)-[:HAS_TRANSACTION]->(t:Transaction)
    WHERE EXISTS { (t)-[:RECEIVED_BY]->(us) }
    WITH t.type AS type, t.currency AS currency, sum(t.value) AS value, count(t) AS count
    ORDER BY type, currency
    RETURN collect(CASE WHEN type IS NULL THEN null ELSE
      { type: type, currency: currency, value: value, count: count } END) AS received
  }
  RETURN {
    funder: funder { .key, .name, .nameEn, .kind, .named, .iatiOrganisationType, .iatiRef },
    fund: fund { .key, .name, .acronym, .kind },
    sameGrant: funder IS NOT NULL AND CASE WHEN fund IS NULL
           THEN EXISTS { (funder)-[:OWNS]->(:Fund)-[:FUNDS]->(programme) }
           ELSE EXISTS { (funder)-[:FUNDS]->(programme) } END,
    managers: CASE WHEN fund IS NULL THEN [] ELSE [(m:Organisation)-[:MANAGES]->(fund) | m { .key, .name, .nameEn, .kind, .named, .iatiOrganisationType, .iatiRef }] END,
    programme: programme { .key, .name, .type, .description, .startYear, .startMonth, .endYear, .duration },
    leads: COLLECT { MATCH (l:Organisation)-[p:PARTICIPATES_IN]->(programme) WHERE p.role = 'LEAD' RETURN l { .key, .name, .nameEn, .kind, .named, .iatiOrganisationType, .iatiRef } ORDER BY l.name },
    recipient: us { .key, .name, .nameEn, .kind, .named, .iatiOrganisationType, .iatiRef },
    recipientRole: ours.role,
    partners: COLLECT { MATCH (x:Organisation)-[:PARTICIPATES_IN]->(programme) WHERE x <> us RETURN DISTINCT x { .key, .name, .nameEn, .kind, .named, .iatiOrganisationType, .iatiRef } ORDER BY x.name },
    countries: COLLECT { MATCH (programme)-[:RUNS_IN]->(c:Country) RETURN c { .code, .nameEn, .nameNl } ORDER BY c.code },
    evidence:
      CASE WHEN owns IS NULL THEN [] ELSE [{ fact: funder.name + ' OWNS ' + fund.name, quote: owns.quote, source: owns.source, basis: owns.basis }] END
      + CASE WHEN fund IS NULL THEN [] ELSE [(m:Organisation)-[mg:MANAGES]->(fund) | { fact: m.name + ' MANAGES ' + fund.name, quote: mg.quote, source: mg.source, basis: mg.basis }] END
      + [{ fact: coalesce(fund.name, funder.name) + ' FUNDS ' + programme.name, quote: funds.quote, source: funds.source, basis: funds.basis }]
      + [(l:Organisation)-[p:PARTICIPATES_IN]->(programme) WHERE p.role = 'LEAD' AND l <> us | { fact: l.name + ' LEAD in ' + programme.name, quote: p.quote, source: p.source, basis: p.basis }]
      + [{ fact: us.name + ' ' + ours.role + ' in ' + programme.name, quote: ours.quote, source: ours.source, basis: ours.basis }]
      ,
    provided: provided,
    received: received
  } AS chain
  ORDER BY coalesce(funder.name, ''), coalesce(fund.name, ''), programme.name,
    funder.key, fund.key, programme.key

// parameters
{
  "limit": 100,
  "offset": 0,
  "us": "defence-for-children",
  "funderKind": null,
  "funderIatiType": null
}
