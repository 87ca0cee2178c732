import { Neo4jGraphQL } from '@neo4j/graphql';
import type { GraphQLSchema } from 'graphql';
import type { Driver } from 'neo4j-driver';
import { loadTypeDefs } from './type-defs.js';

export interface BuiltSchema {
  neoSchema: Neo4jGraphQL;
  schema: GraphQLSchema;
}

/** Builds the executable schema from schema/*.graphql, once, at start-up. */
export async function buildSchema(driver: Driver): Promise<BuiltSchema> {
  const neoSchema = new Neo4jGraphQL({
    typeDefs: loadTypeDefs(),
    driver,
    features: {
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
  return { neoSchema, schema: await neoSchema.getSchema() };
}
