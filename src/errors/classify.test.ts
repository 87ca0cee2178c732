import { Neo4jError } from 'neo4j-driver';

/** A driver error as the driver raises it, with a database (or driver) error code. */
const newError = (message: string, code: string) =>
  new Neo4jError(message, code, '50N42', 'error: general processing exception');
import { describe, expect, it } from 'vitest';
import { classify } from './classify.js';
import { httpStatusOf } from './index.js';

const formatted = (extensions?: Record<string, unknown>) => ({
  message: 'x',
  ...(extensions ? { extensions } : {}),
});

describe('classify', () => {
  it('maps an unreachable Neo4j to SERVICE_UNAVAILABLE and a timed-out transaction to TIMEOUT', () => {
    expect(classify(formatted(), newError('connection refused', 'ServiceUnavailable'))?.code).toBe(
      'SERVICE_UNAVAILABLE',
    );
    expect(classify(formatted(), newError('gone', 'SessionExpired'))?.code).toBe(
      'SERVICE_UNAVAILABLE',
    );
    expect(
      classify(
        formatted(),
        newError('too slow', 'Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration'),
      )?.code,
    ).toBe('TIMEOUT');
    // Timed out while waiting for a lock another transaction holds.
    expect(
      classify(formatted(), newError('ended', 'Neo.ClientError.Transaction.LockClientStopped'))
        ?.code,
    ).toBe('TIMEOUT');
    expect(
      classify(formatted(), newError('syntax', 'Neo.ClientError.Statement.SyntaxError')),
    ).toBeUndefined();
  });

  it("maps the pool's acquisition timeout (code N/A, the driver's constant message) to SERVICE_UNAVAILABLE", () => {
    const pool = newError(
      'Connection acquisition timed out in 2000 ms. Pool status: Active conn count = 50, Idle conn count = 0.',
      'N/A',
    );
    expect(classify(formatted(), pool)?.code).toBe('SERVICE_UNAVAILABLE');
    // Another driver error without a code stays unexpected (masked, logged).
    expect(classify(formatted(), newError('something else', 'N/A'))).toBeUndefined();
  });

  it("maps @neo4j/graphql's auth failures to UNAUTHENTICATED and FORBIDDEN", () => {
    // By class name, as @neo4j/graphql names its (unexported) error classes — not by message.
    const named = (name: string) => Object.assign(new Error('any text'), { name });
    expect(classify(formatted(), named('Neo4jGraphQLAuthenticationError'))?.code).toBe(
      'UNAUTHENTICATED',
    );
    expect(classify(formatted(), named('Neo4jGraphQLForbiddenError'))?.code).toBe('FORBIDDEN');
    expect(classify(formatted(), named('Neo4jGraphQLError'))).toBeUndefined();
    expect(
      classify(
        formatted(),
        Object.assign(new Error('Unauthenticated'), { name: 'Neo4jGraphQLError' }),
      )?.code,
    ).toBe('UNAUTHENTICATED');
    expect(classify(formatted(), new Error('Forbidden'))).toBeUndefined();
  });

  it('gives limit breaches their own code and passes caller mistakes through', () => {
    expect(
      classify(formatted({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'depth' }), new Error('deep'))
        ?.code,
    ).toBe('QUERY_LIMIT_EXCEEDED');
    expect(
      classify(formatted({ code: 'GRAPHQL_VALIDATION_FAILED' }), new Error('unknown field'))?.code,
    ).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(classify(formatted({ code: 'BAD_USER_INPUT' }), new Error('bad'))?.code).toBe(
      'BAD_USER_INPUT',
    );
  });

  it('leaves anything else to be masked as INTERNAL_SERVER_ERROR', () => {
    expect(
      classify(formatted({ code: 'INTERNAL_SERVER_ERROR' }), new TypeError('boom')),
    ).toBeUndefined();
    expect(classify(formatted(), new Error('boom'))).toBeUndefined();
  });
});

describe('httpStatusOf', () => {
  it('is 200 only without errors, and the most serious status otherwise', () => {
    expect(httpStatusOf([])).toBe(200);
    expect(httpStatusOf(['BAD_USER_INPUT'])).toBe(400);
    expect(httpStatusOf(['UNAUTHENTICATED'])).toBe(401);
    expect(httpStatusOf(['FORBIDDEN', 'BAD_USER_INPUT'])).toBe(403);
    expect(httpStatusOf(['BAD_USER_INPUT', 'SERVICE_UNAVAILABLE'])).toBe(503);
    expect(httpStatusOf(['TIMEOUT'])).toBe(504);
    expect(httpStatusOf(['SOMETHING_ELSE'])).toBe(500);
  });
});
