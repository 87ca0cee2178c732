/**
 * Query limits: depth, cost and aliases (graphql-armor validation rules), tokens (graphql's
 * parser), and page size (`limit` / `first` arguments, literal or variable). A breach is a
 * GraphQL error with code QUERY_LIMIT_EXCEEDED or BAD_USER_INPUT, and HTTP 400.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { GraphQLError, Kind, visit, type ValidationContext, type ValidationRule } from 'graphql';
import type { Config } from '../config/index.js';
import { apiError, ErrorCode, HTTP_STATUS } from '../errors/index.js';

type Limits = Config['limits'];

/** Reports a breach as a validation error that carries our code and which limit it was. */
const report = (limit: string) => ({
  propagateOnRejection: false,
  onReject: [
    (ctx: ValidationContext | null, error: GraphQLError) =>
      ctx?.reportError(
        new GraphQLError(error.message, {
          extensions: {
            code: ErrorCode.QUERY_LIMIT_EXCEEDED,
            limit,
            http: { status: HTTP_STATUS.QUERY_LIMIT_EXCEEDED },
          },
        }),
      ),
  ],
});

export function limitRules(limits: Limits): ValidationRule[] {
  return [
    maxDepthRule({ n: limits.maxDepth, ...report('depth') }),
    costLimitRule({ maxCost: limits.maxCost, ...report('cost') }),
    maxAliasesRule({ n: limits.maxAliases, ...report('aliases') }),
  ] as ValidationRule[];
}

const PAGE_ARGUMENTS = new Set(['limit', 'first']);

/** Rejects negative `limit` / `first` values and those above the page size limit, before anything runs. */
export function pageSizePlugin<T extends object>(maxPageSize: number): ApolloServerPlugin<T> {
  return {
    requestDidStart() {
      return Promise.resolve({
        didResolveOperation({ document, request }) {
          const variables: Record<string, unknown> = request.variables ?? {};
          visit(document, {
            Argument(node) {
              if (!PAGE_ARGUMENTS.has(node.name.value)) return;
              const value: unknown =
                node.value.kind === Kind.INT
                  ? Number(node.value.value)
                  : node.value.kind === Kind.VARIABLE
                    ? variables[node.value.name.value]
                    : undefined;
              if (typeof value !== 'number') return;
              if (value < 0 || value > maxPageSize) {
                throw apiError(
                  ErrorCode.BAD_USER_INPUT,
                  value < 0
                    ? `${node.name.value}: ${value} is negative; give 0 to ${maxPageSize}.`
                    : `${node.name.value}: ${value} is more than the page size limit of ${maxPageSize}; page with offset or after.`,
                  { argument: node.name.value, limit: 'pageSize' },
                );
              }
            },
          });
          return Promise.resolve();
        },
      });
    },
  };
}
