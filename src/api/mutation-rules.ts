/**
 * Editors' mutations obey the importer's rules (model/rules.ts): before a mutation runs, every
 * node and relationship it would create or update — nested ones too, literal or in variables —
 * is checked, and the whole mutation is refused with BAD_USER_INPUT (HTTP 400), saying where
 * and why, when one of them breaks a rule. Nothing is written then.
 */
import { createRequire } from 'node:module';
import type { ApolloServerPlugin } from '@apollo/server';
import type * as GraphQL from 'graphql';
import type {
  DocumentNode,
  FieldNode,
  GraphQLInputType,
  GraphQLSchema,
  OperationDefinitionNode,
  SelectionSetNode,
} from 'graphql';
import { apiError, ErrorCode } from '../errors/index.js';
import type { AppContext } from './context.js';
import {
  KEY_PROPERTY,
  NODE_LABELS,
  RELATIONSHIP_PROPERTIES,
  type NodeLabel,
} from '../model/index.js';
import { nodeProblems, propertyProblems, type RuleProblem } from '../model/rules.js';

// graphql's CommonJS build: the one Apollo and @neo4j/graphql built the schema with.
const graphql = createRequire(import.meta.url)('graphql') as typeof GraphQL;

/** The role schema/auth.graphql requires of every mutation. */
const EDITOR_ROLE = 'editor';

const LABELS = new Set<string>(NODE_LABELS);
const PROPERTY_TYPES = new Set<string>(Object.keys(RELATIONSHIP_PROPERTIES));

/** `OrganisationCreateInput` → Organisation, create; `FundingUpdateInput` → Funding, update. */
const INPUT_NAME = /^([A-Z][A-Za-z]*?)(Create|Update)Input$/;

/** An update gives `{ name: { set: "…" } }`; the rules read the values it sets. */
function setValues(update: Record<string, unknown>): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(update)) {
    if (value && typeof value === 'object' && 'set' in value) {
      values[field] = value.set;
    }
  }
  return values;
}

interface Located extends RuleProblem {
  path: string;
}

/** Walks `value` as an instance of `type`, collecting the rule problems of each input object. */
function walk(value: unknown, type: GraphQLInputType, path: string, problems: Located[]): void {
  if (value === null || value === undefined) return;
  const nullable = graphql.getNullableType(type);
  if (graphql.isListType(nullable)) {
    if (Array.isArray(value)) {
      value.forEach((item, i) => walk(item, nullable.ofType, `${path}[${i}]`, problems));
    }
    return;
  }
  if (!graphql.isInputObjectType(nullable) || typeof value !== 'object') return;
  const object = value as Record<string, unknown>;
  const match = INPUT_NAME.exec(nullable.name);
  if (match) {
    const [, name, operation] = match as unknown as [string, string, 'Create' | 'Update'];
    const props = operation === 'Create' ? object : setValues(object);
    const found = LABELS.has(name)
      ? nodeProblems(name as NodeLabel, props, {
          keyProperty: KEY_PROPERTY[name as NodeLabel],
          complete: operation === 'Create',
        })
      : PROPERTY_TYPES.has(name)
        ? propertyProblems(props)
        : [];
    for (const p of found) problems.push({ ...p, path: `${path}.${p.property}` });
  }
  const fields = nullable.getFields();
  for (const [field, item] of Object.entries(object)) {
    const definition = fields[field];
    if (definition) walk(item, definition.type, `${path}.${field}`, problems);
  }
}

/** The mutation's top-level fields, through fragments too. */
function topFields(selectionSet: SelectionSetNode, document: DocumentNode): FieldNode[] {
  return selectionSet.selections.flatMap((s) => {
    if (s.kind === graphql.Kind.FIELD) return [s];
    if (s.kind === graphql.Kind.INLINE_FRAGMENT) return topFields(s.selectionSet, document);
    const fragment = document.definitions.find(
      (d) => d.kind === graphql.Kind.FRAGMENT_DEFINITION && d.name.value === s.name.value,
    );
    return fragment && 'selectionSet' in fragment ? topFields(fragment.selectionSet, document) : [];
  });
}

/** The rule problems of a mutation, located as `field.argument[i].nested.property`. */
export function mutationProblems(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
): Located[] {
  const mutation = schema.getMutationType();
  if (!mutation) return [];
  const coerced = graphql.getVariableValues(
    schema,
    operation.variableDefinitions ?? [],
    variables ?? {},
  );
  // Variables that do not fit their types: execution refuses them with BAD_USER_INPUT.
  if (!coerced.coerced) return [];
  const problems: Located[] = [];
  for (const node of topFields(operation.selectionSet, document)) {
    const field = mutation.getFields()[node.name.value];
    if (!field) continue;
    let args: Record<string, unknown>;
    try {
      args = graphql.getArgumentValues(field, node, coerced.coerced);
    } catch {
      continue; // a wrong argument: validation and execution say so
    }
    for (const argument of field.args) {
      walk(args[argument.name], argument.type, `${node.name.value}.${argument.name}`, problems);
    }
  }
  return problems;
}

/**
 * Checks editors' mutations against the rules. A caller who may not write at all is left to
 * the schema's auth rules (401/403), so that only editors learn what the rules say.
 */
export function mutationRulesPlugin(): ApolloServerPlugin<AppContext> {
  return {
    requestDidStart() {
      return Promise.resolve({
        didResolveOperation({ document, operation, request, schema, contextValue }) {
          if (operation?.operation !== graphql.OperationTypeNode.MUTATION) return Promise.resolve();
          if (!contextValue.roles.includes(EDITOR_ROLE)) return Promise.resolve();
          const problems = mutationProblems(schema, document, operation, request.variables);
          if (problems.length > 0) {
            throw apiError(
              ErrorCode.BAD_USER_INPUT,
              `Not stored: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')} — the importer's rules apply to editors too.`,
              { problems: problems.map(({ path, message }) => ({ path, message })) },
            );
          }
          return Promise.resolve();
        },
      });
    },
  };
}
