/**
 * request → schema → **Cypher** → Neo4j for the analyst's vocabulary (schema/analyst.graphql).
 * Every query is parameterised. An analyst field runs all it needs — resolving the organisation
 * and country it is asked about, then its question — as auto-commit reads within the
 * request's timeout (`AnalystRepository.read`). The fields each answer projects are the SDL's
 * `…Ref` types (src/model), and names are matched through the normalised `nameKeys` the
 * importer stores (one rule: model/names.ts), by an index seek (NAME_KEY_INDEX). The Cypher of
 * the questions is in src/store/analyst/, a file per family of questions (names, partners,
 * funding, money, places) over the fragments they share (fragments.ts); this module runs it.
 */
import { distance } from 'fastest-levenshtein';
import neo4j, { type Driver } from 'neo4j-driver';
import type {
  CountryProfile,
  FundingChain,
  GraphEdge,
  SharedPartner,
  WorkPlace,
  MoneyRow,
  OrganisationRef,
  Partner,
  PortfolioItem,
  ProgrammeRef,
  SearchHit,
} from '../generated/schema-types.js';
import { nameWords, normaliseName } from '../model/index.js';
import { readAutoCommit, type StatementRunner } from './auto-commit.js';
import { escapeLucene } from './lucene.js';
import { NAME_KEY_INDEX, NAME_SEARCH_INDEX } from './schema-ops.js';
import { FUNDING_CHAINS, PORTFOLIO } from './analyst/funding.js';
import {
  type FlowSelection,
  type MoneyFlowList,
  type MoneyGroupBy,
  moneyFlowRow,
  moneyFlowsCypher,
  moneyTotalsCypher,
  RELATION_FLOWS,
  type RelationFlowRow,
} from './analyst/money.js';
import {
  COUNTRY_BY_NAME_KEY,
  FIND_ORGANISATION,
  NAME_HITS,
  type NamedLabel,
  ORGANISATION_BY_KEY,
  byNameKey,
} from './analyst/names.js';
import { moneyRollupCypher, rollupSetFor } from './analyst/money-rollup.js';
import { PARTNERS, SHARED_PARTNERS, WORK_PLACES } from './analyst/partners.js';
import {
  COUNTRY_FUNDERS,
  COUNTRY_PROGRAMMES,
  type GraphNodeType,
  NEIGHBOURHOOD,
  NODE_EXISTS,
  PROGRAMMES_IN_COUNTRY,
  SEARCH,
} from './analyst/places.js';

export type { NamedLabel } from './analyst/names.js';
export type { GraphNodeType } from './analyst/places.js';
export type {
  FlowNodeRow,
  FlowSelection,
  MoneyFlowList,
  MoneyFlowRow,
  RelationFlowRow,
} from './analyst/money.js';
export { moneyFlowRow } from './analyst/money.js';

/** The hand-written Cypher of each analyst read (the benchmark's raw side; the plan tests). */
export const ANALYST_CYPHER = {
  findOrganisation: FIND_ORGANISATION,
  organisationByKey: ORGANISATION_BY_KEY,
  countryByNameKey: COUNTRY_BY_NAME_KEY,
  partners: PARTNERS,
  fundingChains: FUNDING_CHAINS,
  moneyTotals: moneyTotalsCypher,
  moneyFlows: moneyFlowsCypher,
  moneyRollup: moneyRollupCypher,
  relationFlows: RELATION_FLOWS,
  portfolio: PORTFOLIO,
  search: SEARCH,
  programmesInCountry: PROGRAMMES_IN_COUNTRY,
  neighbourhood: NEIGHBOURHOOD,
  countryProgrammes: COUNTRY_PROGRAMMES,
  countryFunders: COUNTRY_FUNDERS,
  sharedPartners: SHARED_PARTNERS,
  workPlaces: WORK_PLACES,
} as const;

export interface ReadOptions {
  /** Transaction timeout in ms. */
  timeout: number;
}

/** A page of a list: at most `limit` items after the first `offset`. */
export interface Page {
  limit: number;
  offset: number;
}

/** SKIP and LIMIT take integers; JavaScript numbers would travel as floats. */
const integers = <T extends Page>(p: T) => ({
  ...p,
  limit: neo4j.int(p.limit),
  offset: neo4j.int(p.offset),
});

/** The reads of one analyst field, each an auto-commit read (AnalystRepository.read). */
export class AnalystReads {
  constructor(private readonly tx: StatementRunner) {}

  private async rows<T>(cypher: string, params: object, column: string): Promise<T[]> {
    const result = await this.tx.run(cypher, params);
    return result.records.map((r) => r.get(column) as T);
  }

  /** Organisations whose key, IATI ref, name or alias is `ref`: none, one, or (ambiguous) several. */
  findOrganisations(ref: string) {
    return this.rows<{ key: string; name: string }>(
      FIND_ORGANISATION,
      { ref, ...byNameKey(ref) },
      'organisation',
    );
  }

  /**
   * What a name that no node of `label` has exactly may mean, as AnyName (schema/analyst.graphql)
   * says: the nodes whose name or alias starts with it, else those whose name or alias holds
   * all its words (one is an answer, several a question).
   */
  async namedLike(label: NamedLabel, name: string): Promise<{ key: string; name: string }[]> {
    const words = nameWords(name);
    if (words === '') return [];
    const prefixed = await this.rows<{ key: string; name: string }>(
      NAME_HITS,
      { label, index: NAME_KEY_INDEX, query: `${words.replaceAll(' ', '')}*`, hits: neo4j.int(5) },
      'hit',
    );
    if (prefixed.length > 0) return prefixed;
    return this.rows(
      NAME_HITS,
      {
        label,
        index: NAME_SEARCH_INDEX,
        query: `+${words.replaceAll(' ', ' +')}`,
        hits: neo4j.int(5),
      },
      'hit',
    );
  }

  /**
   * The names of `label` closest to `name`, the best first: those it starts or whose words it
   * holds, then the index's fuzzy matches word by word that are within half its length in edit
   * distance (to the whole name or its start), nearest first (the index alone favours short
   * names: "Terre des Hommes" before "Terre des Hommes Albania" for "Terre des Homes Albania").
   */
  async closestNames(label: NamedLabel, name: string): Promise<string[]> {
    const words = nameWords(name);
    if (words === '') return [];
    const near = (await this.namedLike(label, name)).map((h) => h.name);
    // Fuzzy terms are costly: the first words are enough to suggest.
    const fuzzyQuery = words
      .split(' ')
      .slice(0, 16)
      .map((w) => `${w}~`)
      .join(' ');
    const fuzzy = await this.rows<{ name: string }>(
      NAME_HITS,
      { label, index: NAME_SEARCH_INDEX, query: fuzzyQuery, hits: neo4j.int(50) },
      'hit',
    );
    // Distance to the whole name or to its start (a misspelt beginning of a long name is near);
    // a fuzzy hit on one short word ("to" in "down to zeroo") that is far off is no suggestion.
    const typed = normaliseName(name);
    const byDistance = fuzzy
      .map((h) => {
        const key = normaliseName(h.name);
        return {
          name: h.name,
          d: Math.min(distance(typed, key), distance(typed, key.slice(0, typed.length))),
        };
      })
      .filter((h) => h.d <= typed.length / 2)
      .sort((a, b) => a.d - b.d || a.name.localeCompare(b.name))
      .map((h) => h.name);
    return [...new Set([...near, ...byDistance])].slice(0, 5);
  }

  /** The organisation with key `key`, as a reference; undefined when it is not in the graph. */
  async organisation(key: string): Promise<OrganisationRef | undefined> {
    const [found] = await this.rows<OrganisationRef>(ORGANISATION_BY_KEY, { key }, 'organisation');
    return found;
  }

  /** The code of the country a source spells `name` (e.g. "Filippijnen"), if exactly one. */
  async countryByAlias(name: string): Promise<string | undefined> {
    if (normaliseName(name) === '') return undefined;
    const codes = await this.rows<string>(COUNTRY_BY_NAME_KEY, byNameKey(name), 'code');
    return codes.length === 1 ? codes[0] : undefined;
  }

  partners(
    p: Page & {
      us: string;
      country: string | null;
      funderKind: string | null;
      funderIatiType: string | null;
      includeUnnamed: boolean;
    },
  ) {
    return this.rows<Partner>(PARTNERS, integers(p), 'partner');
  }

  async moneyTotals(
    p: Page & {
      by: MoneyGroupBy;
      types: string[] | null;
      funder: string | null;
      recipient: string | null;
      country: string | null;
      year: number | null;
      programme: string | null;
    },
  ) {
    const rollup = rollupSetFor(p);
    if (rollup !== null) {
      // The totals kept for this graph version, when they are (money-rollup.ts); else live.
      const result = await this.tx.run(moneyRollupCypher(p), { ...integers(p), rollup });
      const [kept] = result.records;
      if (kept?.get('fresh') === true) return kept.get('rows') as MoneyRow[];
    }
    return this.rows<MoneyRow>(moneyTotalsCypher(p), integers(p), 'row');
  }

  /** The money of a flow per funder, fund, programme, recipient and currency (moneyFlowsCypher). */
  async moneyFlows(
    p: FlowSelection & { types: string[] | null; fromYear: number | null; toYear: number | null },
  ) {
    const rows = await this.rows<MoneyFlowList>(moneyFlowsCypher(p), p, 'row');
    return rows.map(moneyFlowRow);
  }

  /** The funding routes and participants of a flow's programmes, without amounts (RELATION_FLOWS). */
  relationFlows(p: FlowSelection) {
    return this.rows<RelationFlowRow>(RELATION_FLOWS, p, 'relations');
  }

  portfolio(p: Page & { funder: string }) {
    return this.rows<PortfolioItem>(PORTFOLIO, integers(p), 'item');
  }

  fundingChains(
    p: Page & { us: string; funderKind: string | null; funderIatiType: string | null },
  ) {
    return this.rows<FundingChain>(FUNDING_CHAINS, integers(p), 'chain');
  }

  search(p: { phrase: string; limit: number }) {
    return this.rows<SearchHit>(
      SEARCH,
      { index: NAME_SEARCH_INDEX, query: escapeLucene(p.phrase), limit: neo4j.int(p.limit) },
      'hit',
    );
  }

  programmesInCountry(p: Page & { code: string }) {
    return this.rows<ProgrammeRef>(PROGRAMMES_IN_COUNTRY, integers(p), 'programme');
  }

  neighbourhood(p: Page & { type: GraphNodeType; key: string }) {
    return this.rows<GraphEdge>(NEIGHBOURHOOD[p.type], integers(p), 'edge');
  }

  async nodeExists(type: GraphNodeType, key: string): Promise<boolean> {
    const [found] = await this.rows<boolean>(NODE_EXISTS[type], { key }, 'found');
    return found === true;
  }

  /**
   * The country's programmes and funders (money: moneyTotals), or undefined when not in the
   * graph: two statements, run side by side.
   */
  async countryProfile(
    p: Page & { code: string },
  ): Promise<Omit<CountryProfile, 'money'> | undefined> {
    const [[profile], [funders]] = await Promise.all([
      this.rows<Omit<CountryProfile, 'money' | 'funders'>>(
        COUNTRY_PROGRAMMES,
        integers(p),
        'profile',
      ),
      this.rows<CountryProfile['funders']>(COUNTRY_FUNDERS, integers(p), 'funders'),
    ]);
    return profile ? { ...profile, funders: funders ?? [] } : undefined;
  }

  sharedPartners(p: Page & { us: string; minProgrammes: number }) {
    return this.rows<SharedPartner>(
      SHARED_PARTNERS,
      { ...integers(p), minProgrammes: neo4j.int(p.minProgrammes) },
      'shared',
    );
  }

  workPlaces(p: { us: string }) {
    return this.rows<WorkPlace>(WORK_PLACES, p, 'place');
  }
}

export class AnalystRepository {
  constructor(
    private readonly driver: Driver,
    private readonly database: string,
  ) {}

  /**
   * Runs `work` — the lookups and the question of one analyst field — as auto-commit reads
   * (auto-commit.ts), all within the request's timeout: each statement gets what is left of it.
   * `field` names them in Neo4j's transaction list. One transaction around them would add a
   * BEGIN and a COMMIT, and no more consistency: Neo4j reads at read-committed isolation, so
   * the statements of one transaction see what commits between them as well.
   */
  read<T>(field: string, options: ReadOptions, work: (reads: AnalystReads) => Promise<T>) {
    const deadline = Date.now() + options.timeout;
    const metadata = { app: 'funding-graph', query: field };
    return work(
      new AnalystReads({
        run: (query, parameters = {}) =>
          readAutoCommit(this.driver, this.database, query, parameters, {
            // Never 0: Neo4j reads a timeout of 0 as none.
            timeout: Math.max(1, deadline - Date.now()),
            metadata,
          }),
      }),
    );
  }
}
