/** Thin resolvers for schema/analyst.graphql: check arguments, call AnalystService. */
import { countryNames, resolveCountry } from '../../countries/index.js';
import { apiError, ErrorCode } from '../../errors/index.js';
import type { AppContext } from '../context.js';

const MAX_SEARCH_RESULTS = 50;

/** An ISO code for the country the caller wrote, or a BAD_USER_INPUT error that says why. */
function countryCode(input: string, argument: string): string {
  const code = resolveCountry(input);
  if (!code) {
    throw apiError(
      ErrorCode.BAD_USER_INPUT,
      `Unknown country "${input}": give an ISO 3166-1 alpha-2 code (ET), an English name (Ethiopia) or a Dutch name (Ethiopië).`,
      { argument },
    );
  }
  return code;
}

const options = (ctx: AppContext) => ({ timeout: ctx.transaction.timeout });

interface PartnersArgs {
  of?: string | null;
  country?: string | null;
  funderKind?: string | null;
  includeUnnamed?: boolean | null;
}

export const analystResolvers = {
  Query: {
    partners: (_: unknown, args: PartnersArgs, ctx: AppContext) =>
      ctx.analyst.partners(
        {
          of: args.of ?? ctx.homeKey,
          country: args.country == null ? null : countryCode(args.country, 'country'),
          funderKind: args.funderKind ?? null,
          includeUnnamed: args.includeUnnamed ?? true,
        },
        options(ctx),
      ),

    fundingChains: (
      _: unknown,
      args: { to?: string | null; funderKind?: string | null },
      ctx: AppContext,
    ) =>
      ctx.analyst.fundingChains(
        { to: args.to ?? ctx.homeKey, funderKind: args.funderKind ?? null },
        options(ctx),
      ),

    search: (_: unknown, args: { phrase: string; limit?: number | null }, ctx: AppContext) => {
      const phrase = args.phrase.trim();
      const limit = args.limit ?? 10;
      if (phrase === '')
        throw apiError(ErrorCode.BAD_USER_INPUT, 'Search for at least one word.', {
          argument: 'phrase',
        });
      if (limit < 1 || limit > MAX_SEARCH_RESULTS) {
        throw apiError(
          ErrorCode.BAD_USER_INPUT,
          `limit must be between 1 and ${MAX_SEARCH_RESULTS}.`,
          { argument: 'limit' },
        );
      }
      return ctx.analyst.search({ phrase, limit }, options(ctx));
    },

    country: (_: unknown, args: { name: string }) => {
      const code = countryCode(args.name, 'name');
      return { code, ...countryNames(code) };
    },

    programmesInCountry: (_: unknown, args: { country: string }, ctx: AppContext) =>
      ctx.analyst.programmesInCountry(countryCode(args.country, 'country'), options(ctx)),

    programmesActiveIn: (_: unknown, args: { year: number }, ctx: AppContext) =>
      ctx.analyst.programmesActiveIn(args.year, options(ctx)),
  },
};
