/**
 * Query limits: depth, cost and aliases (graphql-armor validation rules), tokens (graphql's
 * parser), and page size (`limit` / `first` / `offset` arguments, literal, variable or a
 * variable's default value; the same rule serves the analyst's lists). A breach is a GraphQL
 * error with code QUERY_LIMIT_EXCEEDED or BAD_USER_INPUT, and HTTP 400.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import {
  GraphQLInt,
  valueFromAST,
  visit,
  type GraphQLError,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import type { Config } from '../config/index.js';
import { apiError, ErrorCode } from '../errors/index.js';

type Limits = Config['limits'];

/** Reports a breach as a validation error that carries our code and which limit it was. */
const report = (limit: string) => ({
  propagateOnRejection: false,
  onReject: [
    (ctx: ValidationContext | null, error: GraphQLError) =>
      ctx?.reportError(apiError(ErrorCode.QUERY_LIMIT_EXCEEDED, error.message, { limit })),
  ],
});

export function limitRules(limits: Limits): ValidationRule[] {
  return [
    maxDepthRule({ n: limits.maxDepth, ...report('depth') }),
    costLimitRule({ maxCost: limits.maxCost, ...report('cost') }),
    maxAliasesRule({ n: limits.maxAliases, ...report('aliases') }),
  ] as ValidationRule[];
}

/** Page arguments: sizes are bounded by the page size limit; all are non-negative. */
const PAGE_SIZE_ARGUMENTS = new Set(['limit', 'first']);
const PAGE_ARGUMENTS = new Set([...PAGE_SIZE_ARGUMENTS, 'offset']);

/**
 * The one page rule: a BAD_USER_INPUT error when `value` is negative or, for a page size, above
 * `maxPageSize`.
 */
export function assertPageArgument(argument: string, value: number, maxPageSize?: number): void {
  if (value < 0) {
    throw apiError(ErrorCode.BAD_USER_INPUT, `${argument}: ${value} is negative; give 0 or more.`, {
      argument,
      limit: 'pageSize',
    });
  }
  if (maxPageSize !== undefined && value > maxPageSize) {
    throw apiError(
      ErrorCode.BAD_USER_INPUT,
      `${argument}: ${value} is more than the page size limit of ${maxPageSize}; page with offset or after.`,
      { argument, limit: 'pageSize' },
    );
  }
}

/**
 * Checks every page argument of the operation before anything runs, with the variables as
 * execution will see them (defaults included).
 */
export function pageSizePlugin<T extends object>(maxPageSize: number): ApolloServerPlugin<T> {
  return {
    requestDidStart() {
      return Promise.resolve({
        didResolveOperation({ document, request, operation }) {
          // The variables as execution sees them: given, or else their default value. (Not
          // graphql's getVariableValues: Apollo's schema comes from graphql's CommonJS build,
          // whose classes this ES module does not recognise.)
          const variables: Record<string, unknown> = { ...request.variables };
          for (const definition of operation?.variableDefinitions ?? []) {
            const name = definition.variable.name.value;
            if (variables[name] === undefined && definition.defaultValue) {
              variables[name] = valueFromAST(definition.defaultValue, GraphQLInt);
            }
          }
          visit(document, {
            Argument(node) {
              const argument = node.name.value;
              if (!PAGE_ARGUMENTS.has(argument)) return;
              const value: unknown = valueFromAST(node.value, GraphQLInt, variables);
              if (typeof value !== 'number') return;
              assertPageArgument(
                argument,
                value,
                PAGE_SIZE_ARGUMENTS.has(argument) ? maxPageSize : undefined,
              );
            },
          });
          return Promise.resolve();
        },
      });
    },
  };
}
