/**
 * Error codes clients can rely on (`extensions.code`), and the one place that turns expected
 * failures into GraphQLErrors with a code and an HTTP status.
 */
import { GraphQLError } from 'graphql';

export const ErrorCode = {
  /** An argument or variable is wrong (unknown country, page size too large, …). */
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  /** No valid token where one is required. */
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  /** A valid token without the role the operation needs. */
  FORBIDDEN: 'FORBIDDEN',
  /** The query is deeper, costlier or has more aliases or tokens than the API allows. */
  QUERY_LIMIT_EXCEEDED: 'QUERY_LIMIT_EXCEEDED',
  /** Neo4j cannot be reached; try again later. */
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  /** The request ran longer than the transaction timeout. */
  TIMEOUT: 'TIMEOUT',
  /** Anything unexpected; details are logged, not returned. */
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export const HTTP_STATUS: Record<ErrorCode, number> = {
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  QUERY_LIMIT_EXCEEDED: 400,
  SERVICE_UNAVAILABLE: 503,
  TIMEOUT: 504,
  INTERNAL_SERVER_ERROR: 500,
};

export function apiError(
  code: ErrorCode,
  message: string,
  extensions: Record<string, unknown> = {},
) {
  return new GraphQLError(message, {
    extensions: { ...extensions, code, http: { status: HTTP_STATUS[code] } },
  });
}
