import { createRequire } from 'node:module';
import type * as GraphQL from 'graphql';
import { describe, expect, it } from 'vitest';
import { estimateObjects, operationLimitsPlugin, type OperationLimits } from './limits.js';

// The schema from graphql's CommonJS build, as Apollo and @neo4j/graphql build it (limits.ts).
const { buildSchema, Kind, parse } = createRequire(import.meta.url)('graphql') as typeof GraphQL;

const schema = buildSchema(`
  type Query { items(limit: Int): [Item!]! count(of: Int!): Int }
  type Item { name: String }
`);
const limits: OperationLimits = {
  maxPageSize: 100,
  maxObjects: 1000,
  listEstimate: 20,
  input: { filterDepth: 3, depth: 16, values: 500, listLength: 100, stringLength: 1000 },
};

/** Runs the plugin's check on `query` as Apollo Server would, once the operation is resolved. */
async function check(
  query: string,
  variables: Record<string, unknown>,
  estimate: typeof estimateObjects = estimateObjects,
) {
  const document = parse(query);
  const operation = document.definitions.find(
    (d): d is GraphQL.OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  const hooks = await operationLimitsPlugin(limits, estimate).requestDidStart?.({} as never);
  await hooks?.didResolveOperation?.({
    document,
    operation,
    operationName: operation?.name?.value ?? null,
    request: { variables },
    schema,
  } as never);
}

const broken: typeof estimateObjects = () => {
  throw new Error('the estimator failed');
};

describe('operationLimitsPlugin', () => {
  it('refuses an answer larger than the limit', async () => {
    await expect(
      check('{ items(limit: 100) { name } a: items(limit: 100) { name } }', {}, () => 5000),
    ).rejects.toMatchObject({ extensions: { code: 'QUERY_LIMIT_EXCEEDED', limit: 'cost' } });
    await expect(check('{ items(limit: 10) { name } }', {})).resolves.toBeUndefined();
  });

  it('fails closed: when the size cannot be estimated, the request is not run', async () => {
    const refused = check('query Q($of: Int!) { count(of: $of) }', { of: 3 }, broken);
    await expect(refused).rejects.toThrow(/could not be estimated/);
    await expect(refused).rejects.toMatchObject({
      extensions: { code: 'QUERY_LIMIT_EXCEEDED', limit: 'cost' },
    });
  });

  it('leaves variables that do not fit their types to execution, which refuses them', async () => {
    await expect(
      check('query Q($of: Int!) { count(of: $of) }', { of: 'three' }, broken),
    ).resolves.toBeUndefined();
  });
});
