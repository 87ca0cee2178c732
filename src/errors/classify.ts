/**
 * What clients see of an error: a stable `extensions.code` and, for anything unexpected, a
 * masked message (the original goes to the log, never to the client). Errors are recognised by
 * their code or class name, never by their message text.
 */
import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { ErrorCode, isErrorCode } from './index.js';

/** Driver error codes that mean "Neo4j cannot be reached right now". */
const UNAVAILABLE = new Set([
  'ServiceUnavailable',
  'SessionExpired',
  'Neo.TransientError.General.DatabaseUnavailable',
]);

/** @neo4j/graphql's error classes (not exported by the package), by their `name`. */
const NEO4J_GRAPHQL_ERRORS: Record<string, { code: ErrorCode; message: string }> = {
  Neo4jGraphQLAuthenticationError: {
    code: ErrorCode.UNAUTHENTICATED,
    message: 'Unauthenticated: this operation needs a valid token.',
  },
  Neo4jGraphQLForbiddenError: {
    code: ErrorCode.FORBIDDEN,
    message: 'Forbidden: this operation needs the editor role.',
  },
};

/**
 * The one exception to "never by message text": @authentication without a valid token throws
 * the base Neo4jGraphQLError (whose `name` stays GraphQLError) with the library's constant
 * message AUTHORIZATION_UNAUTHENTICATED; no code or subclass exists for it.
 */
const isLibraryUnauthenticated = (e: { name?: unknown; message?: unknown }) =>
  (e.name === 'Neo4jGraphQLError' || e.name === 'GraphQLError') && e.message === 'Unauthenticated';

interface WithCode {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  extensions?: Record<string, unknown>;
}

/**
 * The code and client-facing message for an error, or undefined when it is unexpected (to be
 * masked). Duck-typed on purpose: Apollo Server loads graphql and neo4j-driver as CommonJS
 * while this module loads them as ES modules, so `instanceof` across that boundary is false
 * for the very same class.
 */
export function classify(
  formatted: GraphQLFormattedError,
  error: unknown,
): { code: ErrorCode; message?: string } | undefined {
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
  const library = isLibraryUnauthenticated(original)
    ? NEO4J_GRAPHQL_ERRORS.Neo4jGraphQLAuthenticationError
    : typeof original.name === 'string'
      ? NEO4J_GRAPHQL_ERRORS[original.name]
      : undefined;
  if (library) return library;
  // A unique key taken (an editor's create): the library's message says which.
  if (original.name === 'Neo4jGraphQLConstraintValidationError') {
    return { code: ErrorCode.BAD_USER_INPUT };
  }
  const code = original.extensions?.code ?? formatted.extensions?.code;
  if (!isErrorCode(code) || code === ErrorCode.INTERNAL_SERVER_ERROR) return undefined;
  // Apollo turns every validation error into GRAPHQL_VALIDATION_FAILED; ours say which limit.
  if (code === ErrorCode.GRAPHQL_VALIDATION_FAILED && formatted.extensions?.limit !== undefined) {
    return { code: ErrorCode.QUERY_LIMIT_EXCEEDED };
  }
  return { code };
}

/** Apollo Server's `formatError`: a known code, or a masked INTERNAL_SERVER_ERROR (logged). */
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
