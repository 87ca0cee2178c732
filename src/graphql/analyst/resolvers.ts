/** Thin resolvers for schema/analyst.graphql: check arguments, call AnalystService. */
import { countriesNamed, countryNames } from '../../countries/index.js';
import { apiError, ErrorCode } from '../../errors/index.js';
import type { AppContext } from '../context.js';

const MAX_SEARCH_RESULTS = 50;

const options = (ctx: AppContext) => ({ timeout: ctx.transaction.timeout });

/**
 * The ISO code of the country the caller wrote — code, English or Dutch name, or a spelling a
 * source uses — or a BAD_USER_INPUT error that says why not.
 */
async function countryCode(input: string, argument: string, ctx: AppContext): Promise<string> {
  const codes = countriesNamed(input);
  if (codes.length > 1) {
    throw apiError(
      ErrorCode.BAD_USER_INPUT,
      `"${input}" may mean ${codes.join(' or ')}: give the ISO code.`,
      { argument },
    );
  }
  const code = codes[0] ?? (await ctx.analyst.countryByAlias(input, options(ctx)));
  if (!code) {
    throw apiError(
      ErrorCode.BAD_USER_INPUT,
      `Unknown country "${input}": give an ISO 3166-1 alpha-2 code (ET), an English name (Ethiopia) or a Dutch name (Ethiopië).`,
      { argument },
    );
  }
  return code;
}

/** The key of the one organisation `ref` (key, name or alias) means; default: home. */
async function organisationKey(
  ref: string | null | undefined,
  argument: string,
  ctx: AppContext,
): Promise<string> {
  if (ref == null) return ctx.homeKey;
  const found = await ctx.analyst.findOrganisations(ref, options(ctx));
  if (found.length === 1 && found[0]) return found[0].key;
  throw apiError(
    ErrorCode.BAD_USER_INPUT,
    found.length === 0
      ? `Unknown organisation "${ref}": give its key, name or an alias (see organisations or search).`
      : `"${ref}" may mean ${found.map((o) => `${o.name} (${o.key})`).join(' or ')}: give the key.`,
    { argument },
  );
}

interface PartnersArgs {
  of?: string | null;
  country?: string | null;
  funderKind?: string | null;
  includeUnnamed?: boolean | null;
}

export const analystResolvers = {
  Query: {
    partners: async (_: unknown, args: PartnersArgs, ctx: AppContext) =>
      ctx.analyst.partners(
        {
          us: await organisationKey(args.of, 'of', ctx),
          country: args.country == null ? null : await countryCode(args.country, 'country', ctx),
          funderKind: args.funderKind ?? null,
          includeUnnamed: args.includeUnnamed ?? true,
        },
        options(ctx),
      ),

    fundingChains: async (
      _: unknown,
      args: { to?: string | null; funderKind?: string | null },
      ctx: AppContext,
    ) =>
      ctx.analyst.fundingChains(
        { us: await organisationKey(args.to, 'to', ctx), funderKind: args.funderKind ?? null },
        options(ctx),
      ),

    search: (_: unknown, args: { phrase: string; limit?: number | null }, ctx: AppContext) => {
      const phrase = args.phrase.trim();
      const limit = args.limit ?? 10;
      if (!/[\p{L}\p{N}]/u.test(phrase)) {
        throw apiError(ErrorCode.BAD_USER_INPUT, 'Search for at least one word.', {
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
      return ctx.analyst.search({ phrase, limit }, options(ctx));
    },

    country: async (_: unknown, args: { name: string }, ctx: AppContext) => {
      const code = await countryCode(args.name, 'name', ctx);
      return { code, ...countryNames(code) };
    },

    programmesInCountry: async (_: unknown, args: { country: string }, ctx: AppContext) =>
      ctx.analyst.programmesInCountry(
        await countryCode(args.country, 'country', ctx),
        options(ctx),
      ),

    programmesActiveIn: (_: unknown, args: { year: number }, ctx: AppContext) =>
      ctx.analyst.programmesActiveIn(args.year, options(ctx)),
  },
};
