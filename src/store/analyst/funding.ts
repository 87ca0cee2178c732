/** The questions about who funds what: funding chains that reach an organisation, a funder's portfolio. */
import { COUNTRY, FUND, FUNDING_ROUTES, ORG, PROGRAMME, moneySums } from './fragments.js';

export const FUNDING_CHAINS = `
  MATCH (us:Organisation {key: $us})-[ours:PARTICIPATES_IN]->(programme:Programme)
  ${FUNDING_ROUTES}
  WITH us, ours, programme, funder, fund, funds, owns
  WHERE ($funderKind IS NULL OR funder.kind = $funderKind)
    AND ($funderIatiType IS NULL OR funder.iatiOrganisationType = $funderIatiType)
  // The page first, then the money and the projections: only for the chains returned.
  WITH us, ours, programme, funder, fund, funds, owns
  ORDER BY coalesce(funder.name, ''), coalesce(fund.name, ''), programme.name,
    funder.key, fund.key, programme.key
  SKIP $offset LIMIT $limit
  ${moneySums('provided', 'PROVIDED_BY', 'funder')}
  ${moneySums('received', 'RECEIVED_BY', 'us')}
  RETURN {
    funder: funder ${ORG},
    fund: fund ${FUND},
    sameGrant: funder IS NOT NULL AND CASE WHEN fund IS NULL
           THEN EXISTS { (funder)-[:OWNS]->(:Fund)-[:FUNDS]->(programme) }
           ELSE EXISTS { (funder)-[:FUNDS]->(programme) } END,
    managers: CASE WHEN fund IS NULL THEN [] ELSE [(m:Organisation)-[:MANAGES]->(fund) | m ${ORG}] END,
    programme: programme ${PROGRAMME},
    leads: COLLECT { MATCH (l:Organisation)-[p:PARTICIPATES_IN]->(programme) WHERE p.role = 'LEAD' RETURN l ${ORG} ORDER BY l.name },
    recipient: us ${ORG},
    recipientRole: ours.role,
    partners: COLLECT { MATCH (x:Organisation)-[:PARTICIPATES_IN]->(programme) WHERE x <> us RETURN DISTINCT x ${ORG} ORDER BY x.name },
    countries: COLLECT { MATCH (programme)-[:RUNS_IN]->(c:Country) RETURN c ${COUNTRY} ORDER BY c.code },
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
    funder.key, fund.key, programme.key`;

/** The programmes a funder finances, directly or through a fund it owns, with the money. */
export const PORTFOLIO = `
  MATCH (funder:Organisation {key: $funder})
  CALL (funder) {
    MATCH (funder)-[:FUNDS]->(programme:Programme) RETURN programme, null AS fund
    UNION
    MATCH (funder)-[:OWNS]->(fund:Fund)-[:FUNDS]->(programme:Programme) RETURN programme, fund
  }
  // The page first, then the money and the projections: only for the programmes returned.
  WITH funder, programme, fund
  ORDER BY programme.name, programme.key, coalesce(fund.name, '')
  SKIP $offset LIMIT $limit
  CALL (programme) {
    OPTIONAL MATCH (programme)-[:HAS_BUDGET]->(b:Budget)
    WITH b.kind AS kind, b.currency AS currency, sum(b.value) AS value, count(b) AS count
    ORDER BY kind, currency
    RETURN collect(CASE WHEN kind IS NULL THEN null ELSE
      { kind: kind, currency: currency, value: value, count: count } END) AS budgets
  }
  ${moneySums('provided', 'PROVIDED_BY', 'funder')}
  RETURN {
    programme: programme ${PROGRAMME},
    fund: fund ${FUND},
    leads: COLLECT { MATCH (l:Organisation)-[p:PARTICIPATES_IN]->(programme) WHERE p.role = 'LEAD' RETURN l ${ORG} ORDER BY l.name },
    countries: COLLECT { MATCH (programme)-[:RUNS_IN]->(c:Country) RETURN c ${COUNTRY} ORDER BY c.code },
    budgets: budgets,
    provided: provided
  } AS item
  ORDER BY programme.name, programme.key, coalesce(fund.name, '')`;
