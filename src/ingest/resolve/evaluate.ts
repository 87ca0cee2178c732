/**
 * How well resolution matches hand-checked gold files: B-cubed precision, recall and F1 over
 * organisation mentions (each mention scored by how much its predicted node and its true
 * organisation share), the organisations split over several nodes and the nodes that mix
 * several organisations, worst first. Pure.
 */

export interface GoldMention {
  /** The element's path in the file, e.g. `iati-activity[3]/transaction[5]/provider-org[1]`. */
  id: string;
  ref: string | null;
  name: string | null;
  /** The real organisation, as the gold file's author decided. */
  entity: string;
}

export interface GoldFile {
  file: string;
  /** Where the file is, from the project's root. */
  origin: string;
  method: string;
  mentions: GoldMention[];
  unsure: { ids: string[]; decision: string; why: string }[];
}

export interface Score {
  /** Mentions scored: those the import resolved. */
  mentions: number;
  /** Mentions it never saw: in a skipped activity, transaction or budget, or a dropped element. */
  notImported: number;
  precision: number;
  recall: number;
  f1: number;
  /** Organisations over several nodes: the entity, the nodes and how many mentions each. */
  split: { entity: string; nodes: Record<string, number> }[];
  /** Nodes holding several organisations: the node, the entities and how many mentions each. */
  mixed: { node: string; entities: Record<string, number> }[];
}

/**
 * Scores `predicted` (mention id → node key) against `gold`, over the mentions the import
 * resolved; the others (their activity skipped, their element dropped) are counted apart, since
 * they are left out of the graph, not resolved wrongly.
 */
export function bcubed(all: readonly GoldMention[], predicted: ReadonlyMap<string, string>): Score {
  const gold = all.filter((m) => predicted.has(m.id));
  const node = (m: GoldMention) => predicted.get(m.id) ?? '';
  const byNode = new Map<string, GoldMention[]>();
  const byEntity = new Map<string, GoldMention[]>();
  for (const m of gold) {
    byNode.set(node(m), [...(byNode.get(node(m)) ?? []), m]);
    byEntity.set(m.entity, [...(byEntity.get(m.entity) ?? []), m]);
  }
  let precision = 0;
  let recall = 0;
  for (const m of gold) {
    const same = (byNode.get(node(m)) ?? []).filter((o) => o.entity === m.entity).length;
    precision += same / (byNode.get(node(m))?.length ?? 1);
    recall += same / (byEntity.get(m.entity)?.length ?? 1);
  }
  const n = gold.length || 1;
  precision /= n;
  recall /= n;
  const tally = (ms: readonly GoldMention[], of: (m: GoldMention) => string) => {
    const counts: Record<string, number> = {};
    for (const m of ms) counts[of(m)] = (counts[of(m)] ?? 0) + 1;
    return counts;
  };
  const size = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
  const split = [...byEntity]
    .map(([entity, ms]) => ({ entity, nodes: tally(ms, node) }))
    .filter((s) => Object.keys(s.nodes).length > 1)
    .sort((a, b) => size(b.nodes) - size(a.nodes) || a.entity.localeCompare(b.entity));
  const mixed = [...byNode]
    .map(([key, ms]) => ({ node: key, entities: tally(ms, (m) => m.entity) }))
    .filter((s) => Object.keys(s.entities).length > 1)
    .sort((a, b) => size(b.entities) - size(a.entities) || a.node.localeCompare(b.node));
  return {
    mentions: gold.length,
    notImported: all.length - gold.length,
    precision,
    recall,
    f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
    split,
    mixed,
  };
}
