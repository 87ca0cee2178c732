/**
 * The benchmark's questions: every saved question (queries/*.graphql) beside hand-written
 * Cypher that gives the same rows through neo4j-driver, and the variables that make sense at a
 * size. The analyst fields' Cypher is the repository's own (it is hand-written); the generated
 * fields' Cypher is written here. Each pair is checked for the same answer before it is timed.
 * Where a saved question says `name: { startsWith: "" }` (read in the name index's order), its
 * Cypher says `p.name STARTS WITH ''` too, so that both sides are planned alike.
 */
import { Kind, parse, type SelectionSetNode } from 'graphql';
import neo4j, { type Driver } from 'neo4j-driver';
import { countriesNamed } from '../../src/countries/index.js';
import { loadSavedQueries, type SavedQuery } from '../../src/api/saved-queries.js';
import { normaliseName } from '../../src/model/index.js';
import { moneyFlowLinks } from '../../src/api/analyst/flows.js';
import {
  ANALYST_CYPHER,
  AnalystRepository,
  type GraphNodeType,
  type MoneyFlowList,
  moneyFlowRow,
  type RelationFlowRow,
} from '../../src/store/analyst-repository.js';
import { groupedBy } from '../../src/store/analyst/money.js';
import { rollupSetFor } from '../../src/store/analyst/money-rollup.js';
import { escapeLucene } from '../../src/store/lucene.js';
import { NAME_SEARCH_INDEX } from '../../src/store/schema-ops.js';

export interface Question {
  saved: SavedQuery;
  variables: Record<string, unknown>;
  /** The top-level field of the answer compared with the Cypher's rows. */
  field: string;
  cypher: string;
  params: Record<string, unknown>;
  /** Other top-level fields of the question, run first in the same transaction. */
  also?: string;
  /**
   * What the API does with the rows before it answers (in the same transaction): the raw side
   * does it too, so that both answers can be compared.
   */
  shape?: (rows: unknown[], run: (cypher: string) => Promise<unknown[]>) => Promise<unknown[]>;
}

/** What the questions are asked about at a size: chosen from the graph, deterministically. */
export interface Subjects {
  home: string;
  programmeName: string;
  programmeKey: string;
  country: string;
  funderKind: string;
  funder: string;
  funderKey: string;
  year: number;
  activeYear: number;
  phrase: string;
}

const one = async (driver: Driver, database: string, cypher: string, params = {}) => {
  const { records } = await driver.executeQuery(cypher, params, { database, routing: 'READ' });
  const record = records[0];
  if (!record) throw new Error(`the graph has no answer to: ${cypher.trim().split('\n')[0]}`);
  return record.toObject();
};

/**
 * Subjects for a synthetic graph: the busiest participant is "us" (HOME_ORGANISATION), the
 * country and funder kind most of its programmes have, the programme in most countries, the
 * funder of most programmes, and the year with most transactions.
 */
export async function pickSubjects(driver: Driver, database: string): Promise<Subjects> {
  const home = await one(
    driver,
    database,
    `MATCH (o:Organisation {named: true})-[:PARTICIPATES_IN]->(p:Programme)
     RETURN o.key AS key, o.name AS name, count(p) AS n ORDER BY n DESC, key LIMIT 1`,
  );
  const where = await one(
    driver,
    database,
    `MATCH (:Organisation {key: $home})-[:PARTICIPATES_IN]->(p:Programme)-[:RUNS_IN]->(c:Country),
           (f:Organisation)-[:FUNDS]->(p)
     RETURN c.code AS country, f.kind AS kind, count(*) AS n ORDER BY n DESC, country, kind LIMIT 1`,
    { home: home.key as string },
  );
  const programme = await one(
    driver,
    database,
    `MATCH (p:Programme)-[:RUNS_IN]->(c:Country)
     RETURN p.name AS name, p.key AS key, count(c) AS n ORDER BY n DESC, key LIMIT 1`,
  );
  const funder = await one(
    driver,
    database,
    `MATCH (f:Organisation)-[:FUNDS]->(p:Programme)
     RETURN f.key AS key, f.name AS name, count(p) AS n ORDER BY n DESC, key LIMIT 1`,
  );
  const year = await one(
    driver,
    database,
    `MATCH (t:Transaction) WHERE t.year IS NOT NULL
     RETURN t.year AS year, count(t) AS n ORDER BY n DESC, year DESC LIMIT 1`,
  );
  return {
    home: home.key as string,
    programmeName: programme.name as string,
    programmeKey: programme.key as string,
    country: where.country as string,
    funderKind: where.kind as string,
    funder: funder.name as string,
    funderKey: funder.key as string,
    year: year.year as number,
    activeYear: 2019,
    phrase: home.name as string,
  };
}

/** Variables for a synthetic graph, per saved question; the seed graph uses the saved files. */
function syntheticVariables(s: Subjects): Record<string, Record<string, unknown>> {
  return {
    CountriesOfProgramme: { name: s.programmeName },
    DisbursementsToPartners: { of: s.funder },
    FundingByCountry: { types: ['DISBURSEMENT', 'EXPENDITURE'], year: s.year },
    PartnersInEthiopiaUnderMinistryGrant: { country: s.country, funderKind: s.funderKind },
    PortfolioOfFunder: { funder: s.funder },
    ProgrammesActiveInYear: { year: s.activeYear },
    Search: { phrase: s.phrase },
    Neighbourhood: { type: 'PROGRAMME', key: s.programmeKey },
    CountryProfile: { country: s.country },
    OrganisationsNamedLike: { part: s.funder.slice(0, 6) },
    MoneyFlows: { funder: s.funder },
  };
}

/** moneyTotals' parameters: grouped by what `by` sets, filtered by what `filters` gives. */
function moneyParams(
  page: object,
  by: Partial<typeof BY_NONE>,
  filters: {
    types?: string[] | null;
    funder?: string | null;
    country?: string | null;
    year?: number | null;
  },
) {
  return {
    ...page,
    by: { ...BY_NONE, ...by },
    types: null,
    funder: null,
    recipient: null,
    country: null,
    year: null,
    programme: null,
    ...filters,
  };
}

/**
 * moneyTotals as the API reads it: from the money totals kept for the graph version when they
 * answer the question (money-rollup.ts; none rows when they are not the graph's, so that the
 * comparison says so), else by the live statement.
 */
function moneyTotalsSide(params: ReturnType<typeof moneyParams>) {
  const rollup = rollupSetFor(params);
  return rollup === null
    ? { cypher: ANALYST_CYPHER.moneyTotals(params), params }
    : {
        cypher: `CALL () { ${ANALYST_CYPHER.moneyRollup(params)} }
          WITH fresh, rows WHERE fresh UNWIND rows AS row RETURN row`,
        params: { ...params, rollup },
      };
}

const BY_NONE = groupedBy();

/** Hand-written Cypher for the generated (not analyst) saved questions, in GraphQL's shape. */
const GENERATED = {
  CountriesOfProgramme: `
    CALL db.index.fulltext.queryNodes('nameKeys', '"' + $nameKey + '"') YIELD node AS p
    WITH p WHERE p:Programme
    WITH p ORDER BY p.name, p.key LIMIT $limit
    RETURN p { .name, .statedCountryCount, countriesConnection: { edges: COLLECT {
      MATCH (p)-[r:RUNS_IN]->(c:Country)
      RETURN { node: c { .code, .nameEn, .nameNl }, properties: r { .quote } } ORDER BY c.code } } } AS row`,
  OrganisationsNamedLike: `
    MATCH (o:Organisation)
    WHERE toLower(o.name) CONTAINS toLower($part) OR toLower(o.nameEn) CONTAINS toLower($part)
    WITH o ORDER BY o.name LIMIT $limit
    RETURN o { .key, .name, .nameEn, .kind } AS row`,
  EuFundedProgrammes: `
    MATCH (p:Programme)
    WHERE p.name STARTS WITH ''
      AND (EXISTS { (p)<-[:FUNDS]-(:Organisation {kind: 'EU_BODY'}) }
       OR EXISTS { (p)<-[:FUNDS]-(:Fund)<-[:OWNS]-(:Organisation {kind: 'EU_BODY'}) })
    WITH p ORDER BY p.name LIMIT $limit
    RETURN p { .name, .type, .startYear, .endYear,
      funders: [(p)<-[:FUNDS]-(o:Organisation {kind: 'EU_BODY'}) | o { .name }],
      fundsConnection: { edges: COLLECT {
        MATCH (p)<-[r:FUNDS]-(f:Fund)
        RETURN { node: f { .name, .acronym, .kind }, properties: r { .coFinancing, .quote } } ORDER BY f.name } } } AS row`,
  ProgrammeLeads: `
    MATCH (p:Programme)
    WHERE p.name STARTS WITH ''
      AND EXISTS { (p)<-[r:PARTICIPATES_IN]-(:Organisation) WHERE r.role = 'LEAD' }
    WITH p ORDER BY p.name LIMIT $limit
    RETURN p { .name, .type, participantsConnection: { edges: COLLECT {
      MATCH (p)<-[r:PARTICIPATES_IN]-(o:Organisation) WHERE r.role = 'LEAD'
      RETURN { node: o { .key, .name }, properties: r { .quote } } } } } AS row`,
  ProgrammesActiveInYear: `
    MATCH (p:Programme)
    WHERE p.name STARTS WITH '' AND p.startYear <= $year AND (p.endYear >= $year OR p.startYear = $year)
    WITH p ORDER BY p.name LIMIT $limit
    RETURN p { .key, .name, .type, .startYear, .endYear } AS row`,
  ProgrammesByFunder: `
    MATCH (o:Organisation)
    WHERE o.name STARTS WITH ''
      AND (EXISTS { (o)-[:FUNDS]->(:Programme) } OR EXISTS { (o)-[:OWNS]->(:Fund)-[:FUNDS]->(:Programme) })
    WITH o ORDER BY o.name LIMIT $limit
    RETURN o { .key, .name, .kind,
      finances: COLLECT {
        MATCH (o)-[:FUNDS]->(p:Programme) WITH p ORDER BY p.name LIMIT $limit
        RETURN p { .name, .type, countries: COLLECT {
          MATCH (p)-[:RUNS_IN]->(c:Country) RETURN c { .code, .nameEn } ORDER BY c.code LIMIT $limit } } },
      owns: COLLECT {
        MATCH (o)-[:OWNS]->(f:Fund) WITH f ORDER BY f.name LIMIT $limit
        RETURN f { .name, .acronym, finances: COLLECT {
          MATCH (f)-[:FUNDS]->(p:Programme) WITH p ORDER BY p.name LIMIT $limit
          RETURN p { .name, .type, countries: COLLECT {
            MATCH (p)-[:RUNS_IN]->(c:Country) RETURN c { .code, .nameEn } ORDER BY c.code LIMIT $limit } } } } } } AS row`,
};

/** The one key an organisation reference means, by the API's own lookup (outside the timing). */
async function keyOf(driver: Driver, database: string, ref: string): Promise<string> {
  const found = await new AnalystRepository(driver, database).read(
    'bench',
    { timeout: 60_000 },
    (reads) => reads.findOrganisations(ref),
  );
  const [only] = found;
  if (!only || found.length !== 1) throw new Error(`"${ref}" names ${found.length} organisations`);
  return only.key;
}

const code = (country: string) => {
  const [c] = countriesNamed(country);
  if (!c) throw new Error(`unknown country ${country}`);
  return c;
};

export async function questions(
  driver: Driver,
  database: string,
  options: { home: string; pageSize: number; subjects: Subjects | undefined },
): Promise<Question[]> {
  // SKIP and LIMIT take integers; JavaScript numbers would travel as floats.
  const limit = neo4j.int(options.pageSize);
  const page = { limit, offset: neo4j.int(0) };
  const synthetic = options.subjects ? syntheticVariables(options.subjects) : {};
  const result: Question[] = [];
  for (const saved of loadSavedQueries()) {
    const v = { ...(saved.variables ?? {}), ...(synthetic[saved.operationName] ?? {}) };
    const str = (name: string) => String(v[name]);
    const num = (name: string) => (typeof v[name] === 'number' ? v[name] : null);
    const types = Array.isArray(v.types) ? v.types.map(String) : null;
    const base = { saved, variables: v };
    switch (saved.operationName) {
      case 'PartnersInEthiopiaUnderMinistryGrant':
        result.push({
          ...base,
          field: 'partners',
          cypher: ANALYST_CYPHER.partners,
          // The question asks for `home { name }` too.
          also: 'MATCH (o:Organisation {key: $us}) RETURN o { .name } AS home',
          params: {
            ...page,
            us: options.home,
            country: code(str('country')),
            funderKind: v.funderKind,
            funderIatiType: null,
            includeUnnamed: true,
          },
        });
        break;
      case 'FundingChain':
        result.push({
          ...base,
          field: 'fundingChains',
          cypher: ANALYST_CYPHER.fundingChains,
          params: { ...page, us: options.home, funderKind: null, funderIatiType: null },
        });
        break;
      case 'DisbursementsToPartners':
      case 'FundingByCountry': {
        const byCountry = saved.operationName === 'FundingByCountry';
        const params = moneyParams(
          page,
          { year: true, country: byCountry, recipient: !byCountry },
          {
            types: types ?? ['DISBURSEMENT'],
            funder: byCountry ? null : await keyOf(driver, database, str('of')),
            year: num('year'),
          },
        );
        result.push({
          ...base,
          field: 'moneyTotals',
          ...moneyTotalsSide(params),
        });
        break;
      }
      case 'FundingBySector': {
        const params = moneyParams(
          page,
          { sector: true },
          {
            types,
            funder: v.funder == null ? null : await keyOf(driver, database, str('funder')),
            country: v.country == null ? null : code(str('country')),
          },
        );
        result.push({
          ...base,
          field: 'moneyTotals',
          ...moneyTotalsSide(params),
        });
        break;
      }
      case 'PortfolioOfFunder':
        result.push({
          ...base,
          field: 'portfolio',
          cypher: ANALYST_CYPHER.portfolio,
          params: { ...page, funder: await keyOf(driver, database, str('funder')) },
        });
        break;
      case 'Home':
        result.push({
          ...base,
          field: 'home',
          cypher: `MATCH (o:Organisation {key: $us}) RETURN o { .key, .name, .kind } AS home`,
          params: { us: options.home },
        });
        break;
      case 'MoneyFlows': {
        const selection = {
          funder: v.funder == null ? null : await keyOf(driver, database, str('funder')),
          recipient: v.recipient == null ? null : await keyOf(driver, database, str('recipient')),
          country: v.country == null ? null : code(str('country')),
          programme: v.programme == null ? null : str('programme'),
        };
        const top = typeof v.top === 'number' ? v.top : 12;
        const params = {
          ...selection,
          types: types ?? ['DISBURSEMENT', 'EXPENDITURE'],
          fromYear: num('fromYear'),
          toYear: num('toYear'),
        };
        result.push({
          ...base,
          field: 'moneyFlows',
          cypher: ANALYST_CYPHER.moneyFlows(params),
          params,
          // As the resolver: the relations when there is no money, then the links.
          shape: async (rows, run) => {
            const relations = rows.length > 0 ? [] : await run(ANALYST_CYPHER.relationFlows);
            return moneyFlowLinks(
              (rows as MoneyFlowList[]).map(moneyFlowRow),
              relations as RelationFlowRow[],
              top,
            );
          },
        });
        break;
      }
      case 'Search':
        result.push({
          ...base,
          field: 'search',
          cypher: ANALYST_CYPHER.search,
          params: {
            index: NAME_SEARCH_INDEX,
            query: escapeLucene(str('phrase')),
            limit: neo4j.int(10),
          },
        });
        break;
      case 'Neighbourhood':
        result.push({
          ...base,
          field: 'neighbourhood',
          cypher: ANALYST_CYPHER.neighbourhood[str('type') as GraphNodeType],
          params: { ...page, key: str('key') },
        });
        break;
      case 'CountryProfile': {
        const country = code(str('country'));
        const money = moneyTotalsSide(moneyParams(page, { funder: true, year: true }, { country }));
        result.push({
          ...base,
          field: 'countryProfile',
          // The profile, its funders and its money (as the API reads it: from the kept totals
          // when they answer), in one statement, one part after the other.
          // (The money is collected inside its own CALL: a country without transactions has [].)
          cypher: `CALL () { ${ANALYST_CYPHER.countryProgrammes} }
            CALL () { ${ANALYST_CYPHER.countryFunders} }
            CALL () { CALL () { ${money.cypher} } RETURN collect(row) AS money }
            RETURN profile { .*, funders: funders, money: money } AS row`,
          params: { code: country, ...money.params },
        });
        break;
      }
      default: {
        const cypher = GENERATED[saved.operationName as keyof typeof GENERATED];
        if (!cypher) throw new Error(`no hand-written Cypher for ${saved.operationName}`);
        const field = topLevelFields(saved.document).at(-1) ?? '';
        result.push({
          ...base,
          field,
          cypher,
          params: { ...v, nameKey: normaliseName(typeof v.name === 'string' ? v.name : ''), limit },
        });
      }
    }
  }
  return result;
}

function operationSelections(document: string): SelectionSetNode {
  const op = parse(document).definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (!op || op.kind !== Kind.OPERATION_DEFINITION) throw new Error('no operation');
  return op.selectionSet;
}

function topLevelFields(document: string): string[] {
  return operationSelections(document).selections.flatMap((s) =>
    s.kind === Kind.FIELD ? [s.alias?.value ?? s.name.value] : [],
  );
}

/** `value` cut down to what `selectionSet` asks for, as GraphQL would answer it. */
function project(value: unknown, selectionSet: SelectionSetNode | undefined): unknown {
  if (value === undefined) return undefined;
  if (!selectionSet || value === null) return value;
  if (Array.isArray(value)) return value.map((v) => project(v, selectionSet));
  const object = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const s of selectionSet.selections) {
    if (s.kind !== Kind.FIELD) continue;
    out[s.alias?.value ?? s.name.value] = project(object[s.name.value], s.selectionSet);
  }
  return out;
}

/** The rows of `field` in a GraphQL answer and the Cypher rows, shaped alike for comparison. */
export function comparable(q: Question, data: Record<string, unknown>, rows: unknown[]) {
  const field = operationSelections(q.saved.document).selections.find(
    (s) => s.kind === Kind.FIELD && (s.alias?.value ?? s.name.value) === q.field,
  );
  if (!field || field.kind !== Kind.FIELD) throw new Error(`no field ${q.field}`);
  const canon = (list: unknown[]) => list.map((r) => JSON.stringify(r)).join('\n');
  const answer = data[q.field];
  const list = Array.isArray(answer) ? answer : answer == null ? [] : [answer];
  return {
    graphql: canon(list),
    cypher: canon(project(rows, field.selectionSet) as unknown[]),
  };
}
