/** The questions about who works with whom: partners, shared partners, where one works. */
import {
  COUNTRY,
  FUND,
  FUNDING_ROUTES_IN_ORDER,
  ORG,
  PLACE,
  PROGRAMME,
  moneySums,
  roleRank,
} from './fragments.js';

export const PARTNERS = `
  MATCH (us:Organisation {key: $us})-[ours:PARTICIPATES_IN]->(programme:Programme)
  WHERE $country IS NULL OR $country IN ours.countries
     OR (ours.countries = [] AND EXISTS { (programme)-[:RUNS_IN]->(:Country {code: $country}) })
  // A programme nobody is said to fund still has partners: its funding list is just empty.
  OPTIONAL ${FUNDING_ROUTES_IN_ORDER.trim()}
  WITH us, ours, programme, collect(CASE WHEN funds IS NULL THEN null ELSE {
         funder: funder ${ORG}, fund: fund ${FUND}, coFinancing: funds.coFinancing,
         sameGrant: funder IS NOT NULL AND CASE WHEN fund IS NULL
           THEN EXISTS { (funder)-[:OWNS]->(:Fund)-[:FUNDS]->(programme) }
           ELSE EXISTS { (funder)-[:FUNDS]->(programme) } END,
         evidence: [{ fact: coalesce(funder.name, fund.name) + ' FUNDS ' + programme.name + coalesce(' through ' + fund.name, ''),
                      quote: funds.quote, source: funds.source, basis: funds.basis }]
       } END) AS funding
  WHERE ($funderKind IS NULL OR any(route IN funding WHERE route.funder.kind = $funderKind))
    AND ($funderIatiType IS NULL OR any(route IN funding WHERE route.funder.iatiOrganisationType = $funderIatiType))
  MATCH (partner:Organisation)-[theirs:PARTICIPATES_IN]->(programme)
  WHERE partner <> us AND ($includeUnnamed OR partner.named)
    AND ($country IS NULL OR theirs.countries = [] OR $country IN theirs.countries)
  // The page first, then the money and the projections: only for the rows returned.
  WITH us, ours, programme, funding, partner, theirs
  ORDER BY programme.name, programme.key, ${roleRank('theirs.role')}, toLower(partner.name), partner.key
  SKIP $offset LIMIT $limit
  ${moneySums('received', 'RECEIVED_BY', 'partner')}
  RETURN {
    organisation: partner ${ORG},
    role: theirs.role,
    countries: COLLECT { MATCH (c:Country) WHERE c.code IN theirs.countries RETURN c ${COUNTRY} ORDER BY c.code },
    places: COLLECT { MATCH (pl:Place) WHERE pl.key IN coalesce(theirs.places, []) RETURN pl ${PLACE} ORDER BY pl.name },
    programme: programme ${PROGRAMME},
    funding: [route IN funding | route { .funder, .fund, .coFinancing, .sameGrant }],
    evidence: [
      { fact: partner.name + ' ' + theirs.role + ' in ' + programme.name, quote: theirs.quote, source: theirs.source, basis: theirs.basis },
      { fact: us.name + ' ' + ours.role + ' in ' + programme.name, quote: ours.quote, source: ours.source, basis: ours.basis }
    ] + reduce(acc = [], route IN funding | acc + route.evidence),
    received: received
  } AS partner
  // \`partner\` is the returned map here: its organisation's name and key break ties.
  ORDER BY programme.name, programme.key, ${roleRank('theirs.role')},
    toLower(partner.organisation.name), partner.organisation.key`;

export const SHARED_PARTNERS = `
  MATCH (us:Organisation {key: $us})-[:PARTICIPATES_IN]->(p:Programme)<-[:PARTICIPATES_IN]-(o:Organisation)
  WHERE o <> us
  WITH DISTINCT o, p ORDER BY p.name, p.key
  WITH o, collect(p) AS programmes
  WHERE size(programmes) >= $minProgrammes
  ORDER BY size(programmes) DESC, o.name, o.key
  SKIP $offset LIMIT $limit
  RETURN { organisation: o ${ORG}, programmes: [p IN programmes | p ${PROGRAMME}] } AS shared`;

export const WORK_PLACES = `
  MATCH (o:Organisation {key: $us})-[r:PARTICIPATES_IN]->(p:Programme)
  CALL (r, p) {
    UNWIND coalesce(r.countries, []) AS code
    MATCH (c:Country {code: code}) RETURN c, true AS stated
    UNION
    WITH r, p WHERE size(coalesce(r.countries, [])) = 0
    MATCH (p)-[:RUNS_IN]->(c:Country) RETURN c, false AS stated
  }
  WITH DISTINCT c, stated, p ORDER BY p.name, p.key
  WITH c, collect(DISTINCT p) AS programmes, collect(stated) AS stated
  RETURN { country: c ${COUNTRY}, programmes: [p IN programmes | p ${PROGRAMME}],
           stated: any(x IN stated WHERE x) } AS place
  ORDER BY place.country.code`;
