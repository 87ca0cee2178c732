/**
 * Query limits, all checked before anything reaches Neo4j, on the operation as it will run:
 * - text: tokens (graphql's parser), depth and aliases (graphql-armor validation rules);
 * - the executed operation, with its variables (operationLimitsPlugin): page arguments
 *   (`limit` / `first` / `offset`), the size of every input value (input-size.ts) and the
 *   estimated number of objects the answer holds (graphql-query-complexity, lists multiplied by
 *   their page size).
 * A breach is a GraphQL error with code QUERY_LIMIT_EXCEEDED (or BAD_USER_INPUT for a page
 * argument) and HTTP 400.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { createRequire } from 'node:module';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import {
  GraphQLInt,
  valueFromAST,
  valueFromASTUntyped,
  visit,
  type DocumentNode,
  type GraphQLError,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import type * as QueryComplexity from 'graphql-query-complexity';
import type * as GraphQL from 'graphql';
import type { Config } from '../config/index.js';
import { apiError, ErrorCode } from '../errors/index.js';
import { emptyInputSize, inputBreach, measureInput, type InputLimits } from './input-size.js';

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
 * graphql-query-complexity and graphql's type predicates as CommonJS: Apollo and
 * @neo4j/graphql build the schema with graphql's CommonJS build, and graphql refuses to mix
 * its classes across its two builds.
 */
const require = createRequire(import.meta.url);
const { getComplexity } = require('graphql-query-complexity') as typeof QueryComplexity;
const { getNamedType, getVariableValues, isLeafType, isListType, getNullableType } =
  require('graphql') as typeof GraphQL;

/** The variables as execution sees them: given, or else their default value. */
function effectiveVariables(
  operation: OperationDefinitionNode | undefined,
  given: Record<string, unknown> | undefined,
): Record<string, unknown> {
  const variables: Record<string, unknown> = { ...given };
  for (const definition of operation?.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    if (variables[name] === undefined && definition.defaultValue) {
      variables[name] = valueFromASTUntyped(definition.defaultValue);
    }
  }
  return variables;
}

/** Page arguments of every field, literal or variable: within the page rule. */
function checkPageArguments(
  document: DocumentNode,
  variables: Record<string, unknown>,
  maxPageSize: number,
) {
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
}

/** Every argument value of the document, variables substituted: within the input limits. */
function checkInputSize(
  document: DocumentNode,
  variables: Record<string, unknown>,
  limits: InputLimits,
) {
  const size = emptyInputSize();
  visit(document, {
    Argument(node) {
      measureInput(valueFromASTUntyped(node.value, variables), size, limits.values + 1);
    },
  });
  const breach = inputBreach(size, limits);
  if (breach) {
    throw apiError(
      ErrorCode.QUERY_LIMIT_EXCEEDED,
      `The input is too large: ${INPUT_FIGURES[breach.figure]} is over the limit of ${breach.max}.`,
      { limit: `input.${breach.figure}`, value: breach.value, max: breach.max },
    );
  }
}

const INPUT_FIGURES: Record<keyof InputLimits, string> = {
  filterDepth: 'the nesting of relationship filters (some/all/none/single)',
  depth: 'the nesting of input objects and lists',
  values: 'the number of input values',
  listLength: 'the longest input list',
  stringLength: 'the longest input string',
};

/**
 * The estimated number of objects an answer holds: each object counts 1, and a list counts its
 * length times what one item holds. The length is the list's `limit`/`first` when given; else,
 * for a top-level list, the page size limit (which bounds it), and for a nested one
 * `listEstimate` — the typical number of partners, countries or funders of one node, not the
 * page size limit that also bounds it, which would make every three-level question "too big".
 * Introspection is bounded by the schema, not the data, and counts 0.
 */
export function estimateObjects(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown>,
  operationName: string | undefined,
  { maxPageSize, listEstimate }: { maxPageSize: number; listEstimate: number },
): number {
  return getComplexity({
    schema,
    query: document,
    variables,
    ...(operationName ? { operationName } : {}),
    estimators: [
      ({ type, field, args, childComplexity }) => {
        if (field.name.startsWith('__')) return 0;
        if (isLeafType(getNamedType(field.type))) return 0;
        if (!isListType(getNullableType(field.type))) return 1 + childComplexity;
        const size = (args.limit ?? args.first) as number | undefined;
        const topLevel = type === schema.getQueryType() || type === schema.getMutationType();
        return (size ?? (topLevel ? maxPageSize : listEstimate)) * (1 + childComplexity);
      },
    ],
  });
}

export interface OperationLimits {
  maxPageSize: number;
  maxObjects: number;
  listEstimate: number;
  input: InputLimits;
}

/**
 * Checks the operation as it will execute — with its variables and their defaults — before
 * anything runs: page arguments, input size, then the estimated size of the answer.
 */
export function operationLimitsPlugin<T extends object>(
  limits: OperationLimits,
  estimate: typeof estimateObjects = estimateObjects,
): ApolloServerPlugin<T> {
  return {
    requestDidStart() {
      return Promise.resolve({
        didResolveOperation({ document, request, operation, operationName, schema }) {
          const variables = effectiveVariables(operation, request.variables);
          checkPageArguments(document, variables, limits.maxPageSize);
          checkInputSize(document, variables, limits.input);
          let objects: number;
          try {
            objects = estimate(schema, document, variables, operationName ?? undefined, {
              maxPageSize: limits.maxPageSize,
              listEstimate: limits.listEstimate,
            });
          } catch {
            // Variables that do not fit their types: execution refuses them (BAD_USER_INPUT)
            // before anything runs.
            const coerced = getVariableValues(
              schema,
              operation?.variableDefinitions ?? [],
              request.variables ?? {},
            );
            if (coerced.errors) return Promise.resolve();
            // Anything else: the answer's size is unknown, so it is not run (fail closed).
            throw apiError(
              ErrorCode.QUERY_LIMIT_EXCEEDED,
              'The size of the answer could not be estimated, so the request was not run. Ask in smaller parts, or report it with the query.',
              { limit: 'cost' },
            );
          }
          if (objects > limits.maxObjects) {
            throw apiError(
              ErrorCode.QUERY_LIMIT_EXCEEDED,
              `The answer could hold about ${objects} objects; the limit is ${limits.maxObjects}. Give nested lists a smaller limit, or ask in several requests.`,
              { limit: 'cost', value: objects, max: limits.maxObjects },
            );
          }
          return Promise.resolve();
        },
      });
    },
  };
}
