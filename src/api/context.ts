import type { Neo4jGraphQLContext } from '@neo4j/graphql';
import type { AnalystRepository } from '../store/analyst-repository.js';
import type { HomeChoice } from '../store/home.js';

/** What the GraphQL layer adds to a request's log line. */
export interface RequestLog {
  operationName?: string | null;
  errorCodes?: string[];
}

/** What every resolver gets: @neo4j/graphql's context plus the project's services. */
export interface AppContext extends Neo4jGraphQLContext {
  /** Key of the home organisation ("we"); also `$homeKey` in @cypher statements. */
  homeKey: string;
  /** Who "we" are, and why (configured, or the first source imported). */
  home: HomeChoice;
  analyst: AnalystRepository;
  /** The roles of the caller's verified token ([] without one). */
  roles: string[];
  /** The largest page a list may return (LIMIT_MAX_PAGE_SIZE): the default `limit` too. */
  maxPageSize: number;
  /** Transaction timeout in ms, for the library's and our own transactions alike. */
  transaction: { timeout: number; metadata: Record<string, unknown> };
  /** This request's log notes (the operation, the error codes). */
  requestLog: RequestLog;
}
