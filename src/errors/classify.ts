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

/**
 * Codes of a transaction Neo4j ended before it finished: past its timeout (while running, or
 * while waiting for a lock), or terminated. The API's transactions are ended only by their
 * timeout (or by an administrator), so these are all TIMEOUT.
 */
const ENDED = [
  'Neo.ClientError.Transaction.TransactionTimedOut',
  'Neo.ClientError.Transaction.LockClientStopped',
  'Neo.ClientError.Transaction.Terminated',
  'Neo.TransientError.Transaction.Terminated',
];

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

/**
 * The second exception: the driver's pool gives up waiting for a connection with a Neo4jError
 * whose code is 'N/A' and whose message is a constant of the driver. All connections busy or
 * Neo4j restarting: either way the database cannot take the request now.
 */
const isAcquisitionTimeout = (e: { code?: unknown; message?: unknown }) =>
  e.code === 'N/A' &&
  typeof e.message === 'string' &&
  e.message.startsWith('Connection acquisition timed out');

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
    if (UNAVAILABLE.has(original.code) || isAcquisitionTimeout(original)) {
      return {
        code: ErrorCode.SERVICE_UNAVAILABLE,
        message: 'The database is unavailable; try again shortly.',
      };
    }
    const code = original.code;
    if (ENDED.some((ended) => code.startsWith(ended))) {
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
    return {
      code: ErrorCode.BAD_USER_INPUT,
      message: 'Constraint validation failed: a node with that key already exists.',
    };
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
