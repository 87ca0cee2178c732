import type { Neo4jGraphQLContext } from '@neo4j/graphql';
import type { AnalystRepository } from '../store/analyst-repository.js';
import type { HomeChoice } from '../store/home.js';

/** What the GraphQL layer adds to a request's log line. */
export interface RequestLog {
  operationName?: string | null;
  errorCodes?: string[];
  /** Answered from the response cache. */
  cache?: 'hit';
}

/** What the response cache noted of a request before Apollo Server (api/response-cache.ts). */
export interface AnswerCacheNote {
  /** The graph's version, read after the request arrived. */
  version: Promise<string | undefined>;
  /** The request's cache key, when it has one: its answer is stored under it. */
  key?: string;
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
  /** Set on /graphql when the response cache is on; absent for other callers (the export). */
  answerCache?: AnswerCacheNote;
}
