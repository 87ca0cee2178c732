import { randomBytes } from 'node:crypto';
import { Neo4jGraphQL } from '@neo4j/graphql';
import type { GraphQLSchema } from 'graphql';
import type { Driver } from 'neo4j-driver';
import { analystResolvers, withNameSuggestions } from './analyst/resolvers.js';
import { loadTypeDefs, withPageSizeLimit } from './type-defs.js';

export interface BuiltSchema {
  neoSchema: Neo4jGraphQL;
  schema: GraphQLSchema;
}

export interface SchemaOptions {
  /** Verifies HS256 tokens; without one a random secret is used, so that no token is valid and every mutation is refused. */
  jwtSecret?: string | undefined;
  /** Bounds every `@limit` (LIMIT_MAX_PAGE_SIZE). */
  maxPageSize: number;
}

/** Builds the executable schema from schema/*.graphql, once, at start-up. */
export async function buildSchema(
  driver: Driver,
  { jwtSecret, maxPageSize }: SchemaOptions,
): Promise<BuiltSchema> {
  const neoSchema = new Neo4jGraphQL({
    typeDefs: withPageSizeLimit(loadTypeDefs(), maxPageSize),
    resolvers: analystResolvers,
    driver,
    features: {
      authorization: {
        key: jwtSecret ?? randomBytes(32).toString('hex'),
        verifyOptions: { algorithms: ['HS256'] },
      },
      // `name: { caseInsensitive: { eq: … } }` for analysts who do not remember the capitals.
      filters: { String: { CASE_INSENSITIVE: true } },
      // Only the v7 filter syntax (`{ name: { eq: … } }`): no deprecated duplicates in the docs.
      excludeDeprecatedFields: {
        mutationOperations: true,
        aggregationFilters: true,
        aggregationFiltersOutsideConnection: true,
        relationshipFilters: true,
        attributeFilters: true,
      },
    },
  });
  return { neoSchema, schema: withNameSuggestions(await neoSchema.getSchema()) };
}
