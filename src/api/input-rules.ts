/**
 * What an operation's input must be before anything runs, checked on the coerced arguments
 * (literal or in variables, nested ones too), located as `field.argument[i].nested.property`:
 *
 * - its shape, for every caller: no `null` where an input object is expected (a filter or a
 *   nested input left out is fine; `where: { name: null }` is not — @neo4j/graphql has no
 *   meaning for it), one operation per property in an update (`{ set: … }`, not
 *   `{ set: …, push: … }`), no `set: null` for a property the model requires, and no empty
 *   relationship input (`provided: {}`) in a mutation, and no empty filter inside a filter
 *   (`finances: { some: {} }`, `OR: [{}]`), which the library would drop instead of apply;
 * - the importer's rules (model/rules.ts), for editors' mutations: so an editor cannot store
 *   what the importer would refuse.
 *
 * A breach is BAD_USER_INPUT (HTTP 400) listing each `path: why`; nothing is written.
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

interface Located {
  path: string;
  message: string;
}

interface Walk {
  schema: GraphQLSchema;
  mutation: boolean;
  /** Check the importer's rules too (an editor's mutation). */
  rules: boolean;
  problems: Located[];
}

/** The property an update sets, is it one the model requires (non-null when created)? */
function requiredOnCreate(schema: GraphQLSchema, updateInput: string, field: string): boolean {
  const create = schema.getType(updateInput.replace(/UpdateInput$/, 'CreateInput'));
  if (!create || !graphql.isInputObjectType(create)) return false;
  const type = create.getFields()[field]?.type;
  return type !== undefined && graphql.isNonNullType(type);
}

/** Walks `value` as an instance of `type`, collecting the problems of each input object. */
function walk(value: unknown, type: GraphQLInputType, path: string, w: Walk, top = false): void {
  if (value === undefined) return;
  const nullable = graphql.getNullableType(type);
  const named = graphql.getNamedType(type);
  if (value === null) {
    if (graphql.isInputObjectType(named)) {
      w.problems.push({
        path,
        message: `null is not a ${named.name}: leave it out, or give an object`,
      });
    }
    return;
  }
  if (graphql.isListType(nullable)) {
    if (Array.isArray(value)) {
      value.forEach((item, i) => walk(item, nullable.ofType, `${path}[${i}]`, w));
    }
    return;
  }
  if (!graphql.isInputObjectType(nullable) || typeof value !== 'object') return;
  const object = value as Record<string, unknown>;
  const fields = nullable.getFields();
  const given = Object.keys(object).filter((k) => object[k] !== undefined);

  // @neo4j/graphql drops an empty filter inside another instead of applying it: `finances:
  // { some: {} }` and `OR: [{}, …]` vanish from the Cypher, so the answer silently holds more
  // than was asked (an empty `where` of the whole field is fine: it means everything).
  if (!top && nullable.name.endsWith('Where') && given.length === 0) {
    w.problems.push({
      path,
      message: `an empty filter is not applied (it would silently match more than asked): say what to match, or leave it out`,
    });
  }
  if (nullable.name.endsWith('Mutations') && given.length !== 1) {
    w.problems.push({
      path,
      message: `give exactly one of ${Object.keys(fields).join(', ')} (not ${given.length})`,
    });
  }
  if (w.mutation && nullable.name.endsWith('FieldInput') && given.length === 0) {
    w.problems.push({
      path,
      message: `an empty relationship input: give one of ${Object.keys(fields).join(', ')}`,
    });
  }
  const match = INPUT_NAME.exec(nullable.name);
  if (match?.[2] === 'Update') {
    for (const field of given) {
      const set = object[field];
      if (
        set &&
        typeof set === 'object' &&
        'set' in set &&
        set.set === null &&
        requiredOnCreate(w.schema, nullable.name, field)
      ) {
        w.problems.push({
          path: `${path}.${field}`,
          message: 'required: it cannot be set to null',
        });
      }
    }
  }
  if (w.rules && match) {
    const [, name, operation] = match as unknown as [string, string, 'Create' | 'Update'];
    const props = operation === 'Create' ? object : setValues(object);
    const found: RuleProblem[] = LABELS.has(name)
      ? nodeProblems(name as NodeLabel, props, {
          keyProperty: KEY_PROPERTY[name as NodeLabel],
          complete: operation === 'Create',
        })
      : PROPERTY_TYPES.has(name)
        ? propertyProblems(props)
        : [];
    for (const p of found) w.problems.push({ path: `${path}.${p.property}`, message: p.message });
  }
  for (const field of given) {
    const definition = fields[field];
    if (definition) walk(object[field], definition.type, `${path}.${field}`, w);
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

/** The problems of an operation's input, located as `field.argument[i].nested.property`. */
export function inputProblems(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
  { rules }: { rules: boolean },
): Located[] {
  const mutation = operation.operation === graphql.OperationTypeNode.MUTATION;
  const root = mutation ? schema.getMutationType() : schema.getQueryType();
  if (!root) return [];
  const coerced = graphql.getVariableValues(
    schema,
    operation.variableDefinitions ?? [],
    variables ?? {},
  );
  // Variables that do not fit their types: execution refuses them with BAD_USER_INPUT.
  if (!coerced.coerced) return [];
  const w: Walk = { schema, mutation, rules: rules && mutation, problems: [] };
  for (const node of topFields(operation.selectionSet, document)) {
    const field = root.getFields()[node.name.value];
    if (!field) continue;
    let args: Record<string, unknown>;
    try {
      args = graphql.getArgumentValues(field, node, coerced.coerced);
    } catch {
      continue; // a wrong argument: validation and execution say so
    }
    for (const argument of field.args) {
      walk(args[argument.name], argument.type, `${node.name.value}.${argument.name}`, w, true);
    }
  }
  return w.problems;
}

/**
 * Checks every operation's input before it runs. The importer's rules are checked for
 * editors only: a caller who may not write is left to the schema's auth rules (401/403), so
 * that only editors learn what the rules say.
 */
export function inputRulesPlugin(): ApolloServerPlugin<AppContext> {
  return {
    requestDidStart() {
      return Promise.resolve({
        didResolveOperation({ document, operation, request, schema, contextValue }) {
          if (!operation) return Promise.resolve();
          const problems = inputProblems(schema, document, operation, request.variables, {
            rules: contextValue.roles.includes(EDITOR_ROLE),
          });
          if (problems.length > 0 && operation.operation === graphql.OperationTypeNode.MUTATION) {
            // Every mutation needs the editor role (schema/auth.graphql): who may not write
            // hears that first, as @neo4j/graphql would tell them.
            if (!contextValue.token) {
              throw apiError(
                ErrorCode.UNAUTHENTICATED,
                'Unauthenticated: this operation needs a valid token.',
              );
            }
            if (!contextValue.roles.includes(EDITOR_ROLE)) {
              throw apiError(
                ErrorCode.FORBIDDEN,
                'Forbidden: this operation needs the editor role.',
              );
            }
          }
          if (problems.length > 0) {
            throw apiError(
              ErrorCode.BAD_USER_INPUT,
              `Input refused: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}.`,
              { problems },
            );
          }
          return Promise.resolve();
        },
      });
    },
  };
}
