/**
 * Thin resolvers for schema/analyst.graphql: check arguments, then resolve what they name and
 * ask the question in one read transaction (AnalystRepository.read). Argument and result types
 * are generated from the SDL (src/generated/schema-types.ts).
 */
import { Kind, type GraphQLSchema, type ValueNode } from 'graphql';
import { closestCountries, countriesNamed, countryNames } from '../../countries/index.js';
import { apiError, ErrorCode } from '../../errors/index.js';
import type {
  CountryRef,
  FundingChain,
  MoneyFlow,
  MoneyRow,
  Partner,
  PortfolioItem,
  ProgrammeRef,
  QueryCountryArgs,
  QueryCountryProfileArgs,
  QueryNeighbourhoodArgs,
  QuerySharedPartnersArgs,
  QueryWorkPlacesArgs,
  SharedPartner,
  WorkPlace,
  CountryProfile,
  GraphEdge,
  HomeChoice,
  QueryFundingChainsArgs,
  QueryMoneyFlowsArgs,
  QueryMoneyTotalsArgs,
  QueryPortfolioArgs,
  QueryPartnersArgs,
  QueryProgrammesInCountryArgs,
  QuerySearchArgs,
  SearchHit,
} from '../../generated/schema-types.js';
import { KIND_OF_IATI_TYPE } from '../../model/iati-codes.js';
import { nameWords } from '../../model/index.js';
import type {
  AnalystReads,
  FlowSelection,
  NamedLabel,
  Page,
} from '../../store/analyst-repository.js';
import { groupedBy } from '../../store/analyst/money.js';
import type { AppContext } from '../context.js';
import { assertPageArgument } from '../limits.js';
import { moneyFlowLinks } from './flows.js';

const MAX_SEARCH_RESULTS = 50;
const MAX_SEARCH_WORDS = 64;
/** A Sankey column holds at most this many nodes one by one (and one group). */
const MAX_FLOW_TOP = 50;

const options = (ctx: AppContext) => ({ timeout: ctx.transaction.timeout });

/** `limit` (default: the page size limit) and `offset`, checked by the same rule as every list. */
function page(args: { limit?: number | null; offset?: number | null }, ctx: AppContext): Page {
  const limit = args.limit ?? ctx.maxPageSize;
  const offset = args.offset ?? 0;
  assertPageArgument('limit', limit, ctx.maxPageSize);
  assertPageArgument('offset', offset);
  return { limit, offset };
}

/**
 * The ISO code of the country the caller wrote — code, English or Dutch name, or a spelling a
 * source uses — or a BAD_USER_INPUT error that says why not.
 */
async function countryCode(
  input: string,
  argument: string,
  byAlias: (name: string) => Promise<string | undefined>,
): Promise<string> {
  const code = await findCountry(input, argument, byAlias);
  if (!code) {
    throw apiError(ErrorCode.BAD_USER_INPUT, unknownCountry(input), {
      argument,
      suggestions: closestCountries(input).map((c) => c.nameEn),
    });
  }
  return code;
}

/** Why `input` is no country, with the closest names. */
function unknownCountry(input: string): string {
  const closest = closestCountries(input).map((c) => `"${c.nameEn}" (${c.code})`);
  return (
    `Unknown country "${input}": give an ISO 3166-1 alpha-2 code (ET), an English name (Ethiopia) or a Dutch name (Ethiopië).` +
    (closest.length > 0 ? ` Did you mean ${closest.join(', ')}?` : '')
  );
}

/** The country `input` names, undefined when none; an ambiguous name is BAD_USER_INPUT. */
async function findCountry(
  input: string,
  argument: string,
  byAlias: (name: string) => Promise<string | undefined>,
): Promise<string | undefined> {
  const codes = countriesNamed(input);
  if (codes.length > 1) {
    throw apiError(
      ErrorCode.BAD_USER_INPUT,
      `"${input}" may mean ${codes.join(' or ')}: give the ISO code.`,
      { argument },
    );
  }
  return codes[0] ?? (await byAlias(input));
}

/** The key of the one organisation `ref` (key, name or alias) means; default: home. */
async function organisationKey(
  reads: AnalystReads,
  ref: string | null | undefined,
  argument: string,
  ctx: AppContext,
): Promise<string> {
  if (ref == null) return ctx.homeKey;
  const exact = await reads.findOrganisations(ref.trim());
  // No exact name: the one whose name starts with it or holds all its words (AnyName).
  const found = exact.length > 0 ? exact : await reads.namedLike('Organisation', ref);
  if (found.length === 1 && found[0]) return found[0].key;
  if (found.length === 0) {
    throw await noSuchName(
      reads,
      'Organisation',
      ref,
      argument,
      'its key, IATI ref, name or an alias',
    );
  }
  throw apiError(
    ErrorCode.BAD_USER_INPUT,
    `"${ref}" may mean ${found.map((o) => `${o.name} (${o.key})`).join(' or ')}: give the key.`,
    { argument, suggestions: found.map((o) => o.name) },
  );
}

/**
 * The error for a name that finds no node of `label`: BAD_USER_INPUT listing the closest names
 * (also in `extensions.suggestions`), as graphql-js suggests a field.
 */
export async function noSuchName(
  reads: AnalystReads,
  label: NamedLabel,
  name: string,
  argument: string,
  give = 'a name or an alias',
) {
  const suggestions = await reads.closestNames(label, name);
  const closest =
    suggestions.length > 0
      ? ` Did you mean ${suggestions.map((n) => `"${n}"`).join(', ')}?`
      : ` Give ${give} (see search).`;
  return apiError(
    ErrorCode.BAD_USER_INPUT,
    `No ${label.toLowerCase()} is named "${name}".${closest}`,
    { argument, suggestions },
  );
}

/**
 * An empty answer about the home organisation ("we", the default of `of`/`to`/`funder`) is
 * only an answer when the home organisation is still in the graph; otherwise NOT_FOUND says
 * why. Checked only when the answer is empty, so a normal answer costs no extra query.
 */
async function unlessHomeMissing<T>(
  reads: AnalystReads,
  rows: T[],
  ref: string | null | undefined,
  ctx: AppContext,
) {
  if (rows.length > 0 || ref != null) return rows;
  const found = await reads.findOrganisations(ctx.homeKey);
  if (!found.some((o) => o.key === ctx.homeKey)) {
    throw apiError(
      ErrorCode.NOT_FOUND,
      `The home organisation "${ctx.homeKey}" is no longer in the graph: name an organisation in the argument, re-import its source, or set HOME_ORGANISATION.`,
      { homeKey: ctx.homeKey },
    );
  }
  return rows;
}

const countryRef = (code: string): CountryRef => ({ code, ...countryNames(code) });

/** An IATI OrganisationType code, checked; null when not given. */
function iatiType(code: string | null | undefined): string | null {
  if (code == null) return null;
  if (!(code in KIND_OF_IATI_TYPE)) {
    throw apiError(
      ErrorCode.BAD_USER_INPUT,
      `"${code}" is not an IATI OrganisationType code: give one of ${Object.keys(KIND_OF_IATI_TYPE).join(', ')}.`,
      { argument: 'funderIatiType' },
    );
  }
  return code;
}

/**
 * An `AnyName` argument arrives as its normalised words (model/names.ts: "cote d ivoire"; the
 * name key without the spaces), or is refused.
 */
function anyName(value: unknown): string {
  if (typeof value !== 'string') throw new TypeError('AnyName is a string');
  const words = nameWords(value);
  if (words === '') throw new TypeError(`"${value}" holds no letter or digit: give a name`);
  return words;
}

/**
 * A `CountryCode` input (filters included) arrives as the ISO code of the one country it names
 * — code, English or Dutch name, any case or accents — or is refused with the reason.
 */
function countryCodeInput(value: unknown): string {
  if (typeof value !== 'string') throw new TypeError('CountryCode is a string');
  const codes = countriesNamed(value);
  if (codes.length === 1 && codes[0]) return codes[0];
  throw new TypeError(
    codes.length === 0
      ? unknownCountry(value)
      : `"${value}" may mean ${codes.join(' or ')}: give the ISO code.`,
  );
}

/** What a money question is about: the keys of the organisations it names, the country's code. */
async function moneySelection(
  reads: AnalystReads,
  args: {
    funder?: string | null;
    recipient?: string | null;
    country?: string | null;
    programme?: string | null;
  },
  ctx: AppContext,
): Promise<FlowSelection> {
  return {
    funder: args.funder == null ? null : await organisationKey(reads, args.funder, 'funder', ctx),
    recipient:
      args.recipient == null
        ? null
        : await organisationKey(reads, args.recipient, 'recipient', ctx),
    country:
      args.country == null
        ? null
        : await countryCode(args.country, 'country', (n) => reads.countryByAlias(n)),
    programme: args.programme ?? null,
  };
}

export const analystResolvers = {
  CountryCode: {
    serialize: (value: unknown) => value,
    parseValue: countryCodeInput,
    parseLiteral: (ast: ValueNode) =>
      countryCodeInput(ast.kind === Kind.STRING ? ast.value : undefined),
  },
  AnyName: {
    serialize: (value: unknown) => value,
    parseValue: anyName,
    parseLiteral: (ast: ValueNode) => anyName(ast.kind === Kind.STRING ? ast.value : undefined),
  },
  Query: {
    moneyTotals: (_: unknown, args: QueryMoneyTotalsArgs, ctx: AppContext): Promise<MoneyRow[]> => {
      const by = new Set(args.groupBy);
      return ctx.analyst.read('moneyTotals', options(ctx), async (reads) =>
        reads.moneyTotals({
          ...page(args, ctx),
          by: {
            funder: by.has('FUNDER'),
            recipient: by.has('RECIPIENT'),
            country: by.has('COUNTRY'),
            year: by.has('YEAR'),
            programme: by.has('PROGRAMME'),
            sector: by.has('SECTOR'),
          },
          types: args.types ?? null,
          ...(await moneySelection(reads, args, ctx)),
          year: args.year ?? null,
        }),
      );
    },

    moneyFlows: (_: unknown, args: QueryMoneyFlowsArgs, ctx: AppContext): Promise<MoneyFlow[]> => {
      const top = args.top ?? 12;
      if (!Number.isInteger(top) || top < 1 || top > MAX_FLOW_TOP) {
        throw apiError(ErrorCode.BAD_USER_INPUT, `top must be between 1 and ${MAX_FLOW_TOP}.`, {
          argument: 'top',
        });
      }
      if (args.fromYear != null && args.toYear != null && args.fromYear > args.toYear) {
        throw apiError(
          ErrorCode.BAD_USER_INPUT,
          `fromYear (${args.fromYear}) is after toYear (${args.toYear}).`,
          { argument: 'fromYear' },
        );
      }
      if (
        args.funder == null &&
        args.recipient == null &&
        args.country == null &&
        args.programme == null
      ) {
        throw apiError(
          ErrorCode.BAD_USER_INPUT,
          'A money flow is about a funder, a recipient, a country or a programme: give at least one.',
          { argument: 'funder' },
        );
      }
      return ctx.analyst.read('moneyFlows', options(ctx), async (reads) => {
        const selection = await moneySelection(reads, args, ctx);
        const money = await reads.moneyFlows({
          ...selection,
          types: args.types ?? ['DISBURSEMENT', 'EXPENDITURE'],
          fromYear: args.fromYear ?? null,
          toYear: args.toYear ?? null,
        });
        if (money.length > 0) return moneyFlowLinks(money, [], top);
        // Relations without amounts only where the sources give none at all: money of other
        // types or years is an empty answer, not a picture without amounts.
        const anyMoney = await reads.moneyFlows({
          ...selection,
          types: null,
          fromYear: null,
          toYear: null,
        });
        if (anyMoney.length > 0) return [];
        return moneyFlowLinks([], await reads.relationFlows(selection), top);
      });
    },

    portfolio: (_: unknown, args: QueryPortfolioArgs, ctx: AppContext): Promise<PortfolioItem[]> =>
      ctx.analyst.read('portfolio', options(ctx), async (reads) =>
        unlessHomeMissing(
          reads,
          await reads.portfolio({
            ...page(args, ctx),
            funder: await organisationKey(reads, args.funder, 'funder', ctx),
          }),
          args.funder,
          ctx,
        ),
      ),

    partners: (_: unknown, args: QueryPartnersArgs, ctx: AppContext): Promise<Partner[]> =>
      ctx.analyst.read('partners', options(ctx), async (reads) =>
        unlessHomeMissing(
          reads,
          await reads.partners({
            ...page(args, ctx),
            us: await organisationKey(reads, args.of, 'of', ctx),
            country:
              args.country == null
                ? null
                : await countryCode(args.country, 'country', (n) => reads.countryByAlias(n)),
            funderKind: args.funderKind ?? null,
            funderIatiType: iatiType(args.funderIatiType),
            includeUnnamed: args.includeUnnamed ?? true,
          }),
          args.of,
          ctx,
        ),
      ),

    fundingChains: (
      _: unknown,
      args: QueryFundingChainsArgs,
      ctx: AppContext,
    ): Promise<FundingChain[]> =>
      ctx.analyst.read('fundingChains', options(ctx), async (reads) =>
        unlessHomeMissing(
          reads,
          await reads.fundingChains({
            ...page(args, ctx),
            us: await organisationKey(reads, args.to, 'to', ctx),
            funderKind: args.funderKind ?? null,
            funderIatiType: iatiType(args.funderIatiType),
          }),
          args.to,
          ctx,
        ),
      ),

    homeChoice: (_: unknown, __: unknown, ctx: AppContext): Promise<HomeChoice> =>
      ctx.analyst.read('homeChoice', options(ctx), async (reads) => {
        const organisation = await reads.organisation(ctx.home.key);
        if (!organisation) {
          throw apiError(
            ErrorCode.NOT_FOUND,
            `The home organisation "${ctx.home.key}" is no longer in the graph: re-import its source, or set HOME_ORGANISATION and restart.`,
            { homeKey: ctx.home.key },
          );
        }
        const { reason, source, mergedFrom } = ctx.home;
        return { organisation, reason, source, mergedFrom };
      }),

    search: (_: unknown, args: QuerySearchArgs, ctx: AppContext): Promise<SearchHit[]> => {
      const phrase = args.phrase.trim();
      const limit = args.limit ?? 10;
      if (!/[\p{L}\p{N}]/u.test(phrase)) {
        throw apiError(ErrorCode.BAD_USER_INPUT, 'Search for at least one word.', {
          argument: 'phrase',
        });
      }
      // Each word is a Lucene clause; Lucene refuses more than 1,024.
      if (phrase.split(/\s+/).length > MAX_SEARCH_WORDS) {
        throw apiError(ErrorCode.BAD_USER_INPUT, `Search for at most ${MAX_SEARCH_WORDS} words.`, {
          argument: 'phrase',
        });
      }
      if (limit < 1 || limit > MAX_SEARCH_RESULTS) {
        throw apiError(
          ErrorCode.BAD_USER_INPUT,
          `limit must be between 1 and ${MAX_SEARCH_RESULTS}.`,
          { argument: 'limit' },
        );
      }
      return ctx.analyst.read('search', options(ctx), (reads) => reads.search({ phrase, limit }));
    },

    // A lookup: no country of that name is an answer (null), not an error; an ambiguous name
    // ("Congo") is still a question to put right.
    country: async (
      _: unknown,
      args: QueryCountryArgs,
      ctx: AppContext,
    ): Promise<CountryRef | null> => {
      const code = await findCountry(args.name, 'name', (name) =>
        ctx.analyst.read('country', options(ctx), (reads) => reads.countryByAlias(name)),
      );
      return code ? countryRef(code) : null;
    },

    neighbourhood: (
      _: unknown,
      args: QueryNeighbourhoodArgs,
      ctx: AppContext,
    ): Promise<GraphEdge[]> =>
      ctx.analyst.read('neighbourhood', options(ctx), async (reads) => {
        const key =
          args.type === 'COUNTRY'
            ? await countryCode(args.key, 'key', (n) => reads.countryByAlias(n))
            : args.key.trim();
        const edges = await reads.neighbourhood({ ...page(args, ctx), type: args.type, key });
        if (edges.length === 0 && !(await reads.nodeExists(args.type, key))) {
          throw apiError(
            ErrorCode.NOT_FOUND,
            `No ${args.type.toLowerCase()} has the key "${args.key}": find keys with search.`,
            { argument: 'key' },
          );
        }
        return edges;
      }),

    countryProfile: (
      _: unknown,
      args: QueryCountryProfileArgs,
      ctx: AppContext,
    ): Promise<CountryProfile | null> =>
      ctx.analyst.read('countryProfile', options(ctx), async (reads) => {
        const code = await countryCode(args.country, 'country', (n) => reads.countryByAlias(n));
        // The profile and its money are two statements that Neo4j runs side by side (a
        // country that is not in the graph has no money either).
        const [profile, money] = await Promise.all([
          reads.countryProfile({ ...page({}, ctx), code }),
          reads.moneyTotals({
            ...page({}, ctx),
            by: groupedBy('funder', 'year'),
            types: null,
            funder: null,
            recipient: null,
            country: code,
            year: null,
            programme: null,
          }),
        ]);
        return profile ? { ...profile, money } : null;
      }),

    sharedPartners: (
      _: unknown,
      args: QuerySharedPartnersArgs,
      ctx: AppContext,
    ): Promise<SharedPartner[]> =>
      ctx.analyst.read('sharedPartners', options(ctx), async (reads) => {
        const minProgrammes = args.minProgrammes ?? 2;
        if (minProgrammes < 1 || minProgrammes > 1000) {
          throw apiError(ErrorCode.BAD_USER_INPUT, 'minProgrammes must be between 1 and 1000.', {
            argument: 'minProgrammes',
          });
        }
        return unlessHomeMissing(
          reads,
          await reads.sharedPartners({
            ...page(args, ctx),
            us: await organisationKey(reads, args.of, 'of', ctx),
            minProgrammes,
          }),
          args.of,
          ctx,
        );
      }),

    workPlaces: (_: unknown, args: QueryWorkPlacesArgs, ctx: AppContext): Promise<WorkPlace[]> =>
      ctx.analyst.read('workPlaces', options(ctx), async (reads) =>
        unlessHomeMissing(
          reads,
          await reads.workPlaces({ us: await organisationKey(reads, args.of, 'of', ctx) }),
          args.of,
          ctx,
        ),
      ),

    programmesInCountry: async (
      _: unknown,
      args: QueryProgrammesInCountryArgs,
      ctx: AppContext,
    ): Promise<ProgrammeRef[]> =>
      ctx.analyst.read('programmesInCountry', options(ctx), async (reads) =>
        reads.programmesInCountry({
          ...page(args, ctx),
          code: await countryCode(args.country, 'country', (n) => reads.countryByAlias(n)),
        }),
      ),
  },
};

/**
 * The Query fields the analyst repository answers (or, for the name lookups, completes with
 * suggestions); every other field is @neo4j/graphql's translation alone.
 */
export const fieldsAnsweredByAnalyst = (): ReadonlySet<string> =>
  new Set([...Object.keys(analystResolvers.Query), ...Object.keys(NAMED_FIELDS)]);

/** The @cypher name lookups of schema/analyst.graphql and the label each looks under. */
const NAMED_FIELDS: Record<string, NamedLabel> = {
  programmesNamed: 'Programme',
  organisationsNamed: 'Organisation',
  fundsNamed: 'Fund',
};

/**
 * The name lookups (@cypher fields, resolved by @neo4j/graphql) answer a name that finds
 * nothing — or several by a partial name — with BAD_USER_INPUT and the closest names, not `[]`.
 */
export function withNameSuggestions(schema: GraphQLSchema): GraphQLSchema {
  const fields = schema.getQueryType()?.getFields() ?? {};
  for (const [name, label] of Object.entries(NAMED_FIELDS)) {
    const field = fields[name];
    const resolve = field?.resolve;
    if (!field || !resolve) throw new Error(`invariant: Query.${name} has no resolver`);
    field.resolve = async (source, args: { name: string }, ctx: AppContext, info) => {
      const found: unknown = await resolve(source, args, ctx, info);
      if (Array.isArray(found) && found.length === 0) {
        throw await ctx.analyst.read(name, options(ctx), (reads) =>
          noSuchName(reads, label, args.name, 'name'),
        );
      }
      return found;
    };
  }
  return schema;
}
