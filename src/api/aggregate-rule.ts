/**
 * A validation rule for what @neo4j/graphql 7 cannot answer in aggregations, so that such a
 * query gets 400 GRAPHQL_VALIDATION_FAILED with a reason instead of a 500 from inside the
 * library (found by the reliability fuzz):
 * - an aggregate selection that asks for nothing but `__typename` (the library returns null
 *   for the non-null aggregate object);
 * - one aggregate field asked twice under different aliases (the library answers only one of
 *   them and the other comes back null), and a connection's `totalCount` likewise (a 500).
 */
import {
  GraphQLError,
  Kind,
  type ASTVisitor,
  type FieldNode,
  type SelectionSetNode,
  type ValidationContext,
} from 'graphql';

const isAggregateType = (name: string) => name.includes('Aggregate');

function fieldsOf(set: SelectionSetNode, context: ValidationContext, seen = new Set<string>()) {
  const fields: FieldNode[] = [];
  for (const s of set.selections) {
    if (s.kind === Kind.FIELD) fields.push(s);
    else if (s.kind === Kind.INLINE_FRAGMENT)
      fields.push(...fieldsOf(s.selectionSet, context, seen));
    else if (!seen.has(s.name.value)) {
      seen.add(s.name.value);
      const fragment = context.getFragment(s.name.value);
      if (fragment) fields.push(...fieldsOf(fragment.selectionSet, context, seen));
    }
  }
  return fields;
}

export function aggregateSelectionRule(context: ValidationContext): ASTVisitor {
  return {
    SelectionSet(node) {
      const type = context.getParentType()?.name;
      if (!type) return;
      const fields = fieldsOf(node, context);
      if (isAggregateType(type) && fields.every((f) => f.name.value === '__typename')) {
        context.reportError(
          new GraphQLError(
            `An aggregate (${type}) needs at least one field besides __typename, such as count or a property's min/max.`,
            { nodes: [node] },
          ),
        );
      }
      const aliases = new Map<string, Set<string>>();
      for (const f of fields) {
        const names = aliases.get(f.name.value) ?? new Set<string>();
        names.add(f.alias?.value ?? f.name.value);
        aliases.set(f.name.value, names);
      }
      for (const [field, names] of aliases) {
        const aggregate =
          isAggregateType(type) ||
          (type.endsWith('Connection') && (field === 'aggregate' || field === 'totalCount'));
        if (aggregate && names.size > 1) {
          context.reportError(
            new GraphQLError(
              `${type}.${field} is asked ${names.size} times under different names (${[...names].join(', ')}); aggregations answer it once: ask for it once, with every subfield you need.`,
              { nodes: [node] },
            ),
          );
        }
      }
    },
  };
}
