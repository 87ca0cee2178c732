import type { Neo4jGraphQLContext } from '@neo4j/graphql';
import type { AnalystService } from './analyst/analyst-service.js';

/** What every resolver gets: @neo4j/graphql's context plus the project's services. */
export interface AppContext extends Neo4jGraphQLContext {
  /** Key of the home organisation ("we"); also `$homeKey` in @cypher statements. */
  homeKey: string;
  analyst: AnalystService;
  /** Transaction timeout in ms, for the library's and our own transactions alike. */
  transaction: { timeout: number; metadata: Record<string, unknown> };
}
