/**
 * The one error boundary of the API: the codes clients can rely on (`extensions.code`), the
 * HTTP status of each, and the constructor for expected failures. classify.ts turns whatever
 * was thrown into one of these (or masks it); http.ts does the same for the routes around
 * GraphQL. Expected failures of the command-line flows are in expected.ts.
 */
import { ApolloServerErrorCode } from '@apollo/server/errors';
import { GraphQLError } from 'graphql';

export const ErrorCode = {
  /** An argument or variable is wrong (unknown country, page size too large, …). */
  BAD_USER_INPUT: ApolloServerErrorCode.BAD_USER_INPUT,
  /** The document does not parse (or has more tokens than allowed). */
  GRAPHQL_PARSE_FAILED: ApolloServerErrorCode.GRAPHQL_PARSE_FAILED,
  /** The document does not fit the schema. */
  GRAPHQL_VALIDATION_FAILED: ApolloServerErrorCode.GRAPHQL_VALIDATION_FAILED,
  /** The request itself is malformed (not JSON, no query, a GET without the CSRF header…). */
  BAD_REQUEST: ApolloServerErrorCode.BAD_REQUEST,
  /** The request names an operation the document does not have. */
  OPERATION_RESOLUTION_FAILURE: ApolloServerErrorCode.OPERATION_RESOLUTION_FAILURE,
  /** Persisted queries are not supported by this server. */
  PERSISTED_QUERY_NOT_SUPPORTED: ApolloServerErrorCode.PERSISTED_QUERY_NOT_SUPPORTED,
  /** No trusted document has the id the request names. */
  PERSISTED_QUERY_NOT_FOUND: ApolloServerErrorCode.PERSISTED_QUERY_NOT_FOUND,
  /** With TRUSTED_DOCUMENTS_ONLY, a document that is not one of the saved questions. */
  PERSISTED_QUERY_NOT_IN_LIST: 'PERSISTED_QUERY_NOT_IN_LIST',
  /** No valid token where one is required. */
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  /** A valid token without the role the operation needs. */
  FORBIDDEN: 'FORBIDDEN',
  /** No such route. */
  NOT_FOUND: 'NOT_FOUND',
  /** The request body is larger than the server accepts. */
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  /** The query is deeper, costlier or has more aliases or tokens than the API allows. */
  QUERY_LIMIT_EXCEEDED: 'QUERY_LIMIT_EXCEEDED',
  /** Neo4j cannot be reached; try again later. */
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  /** The request ran longer than the transaction timeout. */
  TIMEOUT: 'TIMEOUT',
  /** Anything unexpected; details are logged, not returned. */
  INTERNAL_SERVER_ERROR: ApolloServerErrorCode.INTERNAL_SERVER_ERROR,
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export const HTTP_STATUS: Record<ErrorCode, number> = {
  BAD_USER_INPUT: 400,
  GRAPHQL_PARSE_FAILED: 400,
  GRAPHQL_VALIDATION_FAILED: 400,
  BAD_REQUEST: 400,
  OPERATION_RESOLUTION_FAILURE: 400,
  PERSISTED_QUERY_NOT_SUPPORTED: 400,
  PERSISTED_QUERY_NOT_FOUND: 404,
  PERSISTED_QUERY_NOT_IN_LIST: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  PAYLOAD_TOO_LARGE: 413,
  QUERY_LIMIT_EXCEEDED: 400,
  SERVICE_UNAVAILABLE: 503,
  TIMEOUT: 504,
  INTERNAL_SERVER_ERROR: 500,
};

const CODES = new Set<string>(Object.values(ErrorCode));
export const isErrorCode = (code: unknown): code is ErrorCode =>
  typeof code === 'string' && CODES.has(code);

/**
 * The HTTP status of a response that carries these error codes: the most serious one wins
 * (5xx over 4xx; among equals the first), and 200 only when there is no error at all.
 */
export function httpStatusOf(codes: readonly string[]): number {
  let status = 200;
  for (const code of codes) {
    const s = isErrorCode(code) ? HTTP_STATUS[code] : HTTP_STATUS.INTERNAL_SERVER_ERROR;
    if (status === 200 || Math.floor(s / 100) > Math.floor(status / 100)) status = s;
  }
  return status;
}

/** An expected failure a client caused or can act on, with its code and HTTP status. */
export function apiError(
  code: ErrorCode,
  message: string,
  extensions: Record<string, unknown> = {},
) {
  return new GraphQLError(message, {
    extensions: { ...extensions, code, http: { status: HTTP_STATUS[code] } },
  });
}
