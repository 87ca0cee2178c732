/**
 * The one place where errors become what clients see: a stable `extensions.code`, and for
 * anything unexpected a masked message (the original goes to the log, never to the client).
 */
import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { ErrorCode } from '../errors/index.js';

const OUR_CODES = new Set<string>(Object.values(ErrorCode));
/** Codes Apollo Server gives to caller mistakes; passed through as they are. */
const APOLLO_CALLER_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);
/** Driver error codes that mean "Neo4j cannot be reached right now". */
const UNAVAILABLE = new Set([
  'ServiceUnavailable',
  'SessionExpired',
  'Neo.TransientError.General.DatabaseUnavailable',
]);

interface WithCode {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  extensions?: Record<string, unknown>;
}

/**
 * The code and client-facing message for an error. Duck-typed on purpose: Apollo Server loads
 * graphql and neo4j-driver as CommonJS while this module loads them as ES modules, so
 * `instanceof` across that boundary is false for the very same class.
 */
export function classify(
  formatted: GraphQLFormattedError,
  error: unknown,
): { code: string; message?: string } | undefined {
  const original = (unwrapResolverError(error) ?? {}) as WithCode;
  if (original.name === 'Neo4jError' && typeof original.code === 'string') {
    if (UNAVAILABLE.has(original.code)) {
      return {
        code: ErrorCode.SERVICE_UNAVAILABLE,
        message: 'The database is unavailable; try again shortly.',
      };
    }
    if (original.code.startsWith('Neo.ClientError.Transaction.TransactionTimedOut')) {
      return {
        code: ErrorCode.TIMEOUT,
        message: 'The query took longer than the server allows; ask for less.',
      };
    }
    return undefined;
  }
  // @neo4j/graphql throws these without a code (its error classes are not exported).
  if (original.message === 'Unauthenticated') {
    return {
      code: ErrorCode.UNAUTHENTICATED,
      message: 'Unauthenticated: this operation needs a valid token.',
    };
  }
  if (original.message === 'Forbidden') {
    return {
      code: ErrorCode.FORBIDDEN,
      message: 'Forbidden: this operation needs the editor role.',
    };
  }
  const code = original.extensions?.code ?? formatted.extensions?.code;
  if (typeof code !== 'string') return undefined;
  // Apollo turns every validation error into GRAPHQL_VALIDATION_FAILED; ours say which limit.
  if (code === 'GRAPHQL_VALIDATION_FAILED' && formatted.extensions?.limit !== undefined) {
    return { code: ErrorCode.QUERY_LIMIT_EXCEEDED };
  }
  const expected =
    (OUR_CODES.has(code) || APOLLO_CALLER_CODES.has(code)) &&
    code !== ErrorCode.INTERNAL_SERVER_ERROR;
  return expected ? { code } : undefined;
}

export function formatError(log: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const known = classify(formatted, error);
    if (known) {
      return {
        ...formatted,
        message: known.message ?? formatted.message,
        extensions: { ...formatted.extensions, code: known.code },
      };
    }
    log.error({ err: unwrapResolverError(error), path: formatted.path }, 'unexpected error');
    return {
      message: 'Internal server error',
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
    };
  };
}
