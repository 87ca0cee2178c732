/**
 * The graph model as code: labels, keys, relationship types, enum values and properties. All of
 * it comes from the SDL in schema/ (through src/generated/model.ts); this module adds only what
 * the SDL cannot say — which property identifies a node, and the bookkeeping properties the
 * importer keeps beside the declared ones. The importer, the store and the API use it alike.
 */
import {
  ENUMS,
  NODE_LABELS,
  NODE_PROPERTIES,
  REF_FIELDS,
  RELATIONSHIP_PROPERTIES,
  RELATIONSHIP_TYPES,
  RELATIONSHIPS,
} from '../generated/model.js';

export {
  ENUMS,
  NODE_LABELS,
  NODE_PROPERTIES,
  RELATIONSHIP_PROPERTIES,
  RELATIONSHIP_TYPES,
  RELATIONSHIPS,
};
export { nameKeys, nameWords, normaliseName } from './names.js';

export type NodeLabel = (typeof NODE_LABELS)[number];
export type RelationshipType = (typeof RELATIONSHIP_TYPES)[number];
export type OrganisationKind = (typeof ENUMS.OrganisationKind)[number];
export type ParticipationRole = (typeof ENUMS.ParticipationRole)[number];

/** The property that identifies a node of each label (unique; MERGE key; constraint). */
export const KEY_PROPERTY = {
  Source: 'key',
  Organisation: 'key',
  Programme: 'key',
  Fund: 'key',
  Country: 'code',
  Place: 'key',
  Region: 'code',
  Sector: 'key',
  Transaction: 'key',
  Budget: 'key',
} as const satisfies Record<NodeLabel, string>;

/**
 * Properties the importer stores that the API does not expose: `nameKeys` (normalised names and
 * aliases, what name arguments are matched against), on an organisation `namesBySource` (each
 * name with the source that gives it, `source<US>name`: the resolver of a source's re-import
 * sees only what the other sources say), `fid` (a relationship's fact id, its
 * MERGE key), and on a Source what it stated at its last import (so that a re-import removes
 * exactly what it no longer states).
 */
export const INTERNAL_NODE_PROPERTIES = {
  Source: ['statedNodes', 'statedFacts'],
  Organisation: ['nameKeys', 'namesBySource', 'refsBySource'],
  Programme: ['nameKeys'],
  Fund: ['nameKeys'],
  Country: ['nameKeys'],
  Place: [],
  Region: [],
  Sector: [],
  Transaction: [],
  Budget: [],
} as const satisfies Record<NodeLabel, readonly string[]>;
export const INTERNAL_RELATIONSHIP_PROPERTIES = ['fid'] as const;

/**
 * Labels outside the model — bookkeeping, not exposed by the API, not counted as graph content:
 * - STATEMENT_LABEL: the writer's record of what each source states (node keys and fact ids,
 *   in chunks), so that a re-import removes what the source no longer states;
 * - SETTING_LABEL: the graph's settings, such as which organisation is home (store/home.ts);
 * - MERGE_LABEL: one record per merge of two organisation nodes (store/merge-organisations.ts),
 *   so that a key that was merged away can be followed to the node that absorbed it;
 * - RESOLUTION_LABEL: per IATI source, its distinct organisation mentions and the node each
 *   resolved to (store/source-resolution.ts), so that every import resolves over all of them;
 * - MONEY_ROLLUP_LABEL: money totals summed ahead of time for one graph version
 *   (store/analyst/money-rollup.ts), for the questions about every transaction.
 */
export const STATEMENT_LABEL = 'SourceStatement';

/** How the key of every IATI Source begins (`iati-` + the file's name: ingest/iati). */
export const IATI_SOURCE_PREFIX = 'iati-';

/** Between a source's key and a name in `namesBySource` (the unit separator: in no name). */
export const NAME_SOURCE_SEPARATOR = '\u001f';
export const SETTING_LABEL = 'Setting';
export const MERGE_LABEL = 'OrganisationMerge';
export const RESOLUTION_LABEL = 'SourceResolution';
export const MONEY_ROLLUP_LABEL = 'MoneyRollup';
export const BOOKKEEPING_LABELS = [
  STATEMENT_LABEL,
  SETTING_LABEL,
  MERGE_LABEL,
  RESOLUTION_LABEL,
  MONEY_ROLLUP_LABEL,
] as const;

export type PropertyShape = 'required' | 'optional' | 'list';
export type PropertyShapes = Readonly<Record<string, PropertyShape>>;

/** The declared properties of a node label and their shapes (schema/). */
export const nodeShapes = (label: NodeLabel): PropertyShapes => NODE_PROPERTIES[label];

/** Every property a node of `label` may hold. */
export const storedNodeProperties = (label: NodeLabel): ReadonlySet<string> =>
  new Set<string>([...Object.keys(NODE_PROPERTIES[label]), ...INTERNAL_NODE_PROPERTIES[label]]);

/** The declared properties of a relationship of `type` between `from` and `to`, with shapes. */
export function relationshipShapes(
  type: RelationshipType,
  from: NodeLabel,
  to: NodeLabel,
): PropertyShapes {
  const declared = RELATIONSHIPS.find((r) => r.type === type && r.from === from && r.to === to);
  if (!declared) throw new Error(`invariant: the model has no ${type} from ${from} to ${to}`);
  return RELATIONSHIP_PROPERTIES[declared.properties];
}

/** Every property a relationship of `type` between `from` and `to` may hold. */
export const storedRelationshipProperties = (
  type: RelationshipType,
  from: NodeLabel,
  to: NodeLabel,
): ReadonlySet<string> =>
  new Set<string>([
    ...Object.keys(relationshipShapes(type, from, to)),
    ...INTERNAL_RELATIONSHIP_PROPERTIES,
  ]);

/** Labels that may start (`from`) or end (`to`) a relationship of `type`. */
export function endLabels(type: RelationshipType, side: 'from' | 'to'): NodeLabel[] {
  const labels = new Set<NodeLabel>(
    RELATIONSHIPS.filter((r) => r.type === type).map((r) => r[side]),
  );
  return NODE_LABELS.filter((label) => labels.has(label));
}

type RefType = keyof typeof REF_FIELDS;

/**
 * A Cypher map projection of the fields of an analyst reference type, e.g.
 * `{ .key, .name, .kind }` for `OrganisationRef`: the field names come from the SDL, never
 * from input.
 */
export const projection = (ref: RefType): string =>
  `{ ${REF_FIELDS[ref].map((f) => `.${f}`).join(', ')} }`;
