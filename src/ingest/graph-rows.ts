/**
 * sources → validation → **graph rows** → writer. What every source reader (the page today,
 * IATI next) produces and the one writer MERGEs: nodes per label and relationships per type and
 * end labels, with the properties the model (schema/) declares. No database here.
 */
import type { NodeLabel, RelationshipType } from '../model/index.js';

export type PropertyValue = string | number | boolean | string[] | null;
export type Props = Record<string, PropertyValue>;

export interface RelationshipRow {
  /** Fact id: the relationship's stable identity, its MERGE key (`TYPE|from|to[|role]`). */
  fid: string;
  /** Key of the start node. */
  from: string;
  /** Key of the end node. */
  to: string;
  props: Props;
}

export interface RelationshipGroup {
  type: RelationshipType;
  fromLabel: NodeLabel;
  toLabel: NodeLabel;
  rows: RelationshipRow[];
}

export interface GraphRows {
  /** Key of the Source these rows come from. */
  source: string;
  nodes: Record<NodeLabel, Props[]>;
  relationships: RelationshipGroup[];
}

/** Stable identity of a fact: type, ends and role. MERGE uses it, so re-imports match. */
export function factId(f: { type: string; from: string; to: string; role?: string }): string {
  return [f.type, f.from, f.to, f.role].filter((s) => s !== undefined).join('|');
}
