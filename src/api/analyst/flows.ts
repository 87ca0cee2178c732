/**
 * A money flow's links (moneyFlows, schema/analyst.graphql) from the rows the repository reads:
 * funder → (fund) → programme → recipient, per currency, each column's `top` largest nodes one
 * by one and the rest as one group. Pure, so that what the Sankey draws can be checked without
 * a database: grouping moves money between nodes, never in or out of a currency.
 */
import type {
  FlowColumn,
  FlowNode,
  MoneyFlow,
  TransactionType,
} from '../../generated/schema-types.js';
import type { FlowNodeRow, MoneyFlowRow, RelationFlowRow } from '../../store/analyst-repository.js';

const COLUMNS: readonly FlowColumn[] = ['FUNDER', 'FUND', 'PROGRAMME', 'RECIPIENT'];

/** How a group of a column's smaller nodes is named: "12 other programmes". */
const GROUP_NAMES: Record<FlowColumn, [string, string]> = {
  FUNDER: ['other funder', 'other funders'],
  FUND: ['other fund', 'other funds'],
  PROGRAMME: ['other programme', 'other programmes'],
  RECIPIENT: ['other recipient', 'other recipients'],
};

/** How a node the source does not name is called (money from or to "someone"). */
const UNNAMED: Record<FlowColumn, string> = {
  FUNDER: '(funder not stated)',
  FUND: '(fund not stated)',
  PROGRAMME: '(programme not stated)',
  RECIPIENT: '(recipient not stated)',
};

/** One step of a flow before grouping. */
interface Segment {
  from: FlowNode;
  to: FlowNode;
  currency: string | null;
  value: number | null;
  count: number;
  types: string[];
  sources: string[];
  apportioned: boolean;
}

const nodeOf = (column: FlowColumn, row: FlowNodeRow | null): FlowNode =>
  row
    ? { id: `${column}:${row.key}`, column, key: row.key, name: row.name, grouped: null }
    : { id: `${column}:-`, column, key: null, name: UNNAMED[column], grouped: null };

/** The steps of one row of money: funder → (fund →) programme, and programme → recipient. */
function moneySegments(row: MoneyFlowRow): Segment[] {
  const money = {
    currency: row.currency,
    value: row.value,
    count: row.count,
    types: row.types,
    sources: row.sources,
    apportioned: row.apportioned,
  };
  const funder = nodeOf('FUNDER', row.funder);
  const programme = nodeOf('PROGRAMME', row.programme);
  const recipient = nodeOf('RECIPIENT', row.recipient);
  const head = row.fund
    ? [
        { from: funder, to: nodeOf('FUND', row.fund), ...money },
        { from: nodeOf('FUND', row.fund), to: programme, ...money },
      ]
    : [{ from: funder, to: programme, ...money }];
  return [...head, { from: programme, to: recipient, ...money }];
}

/** The steps of a programme's relations without amounts: one per route and participant. */
function relationSegments(row: RelationFlowRow): Segment[] {
  const programme = nodeOf('PROGRAMME', row.programme);
  const fact = (sources: string[]) => ({
    currency: null,
    value: null,
    count: 1,
    types: [],
    sources,
    apportioned: false,
  });
  const segments: Segment[] = [];
  for (const route of row.routes) {
    const funder = nodeOf('FUNDER', route.funder);
    if (route.fund) {
      const fund = nodeOf('FUND', route.fund);
      segments.push({ from: funder, to: fund, ...fact(route.sources) });
      segments.push({ from: fund, to: programme, ...fact(route.sources) });
    } else {
      segments.push({ from: funder, to: programme, ...fact(route.sources) });
    }
  }
  for (const p of row.participants) {
    segments.push({ from: programme, to: nodeOf('RECIPIENT', p.recipient), ...fact(p.sources) });
  }
  return segments;
}

const union = (a: string[], b: string[]) => [...new Set([...a, ...b])].sort();

/**
 * Adds up the segments that run between the same two nodes in the same currency. Before
 * grouping, two relations between the same nodes are one fact met twice (a fund that funds two
 * programmes); after it, they are different facts that a group brings together.
 */
function merge(segments: Segment[], grouped: boolean): Segment[] {
  const byLink = new Map<string, Segment>();
  for (const s of segments) {
    const id = `${s.currency ?? ''}\u241f${s.from.id}\u241f${s.to.id}`;
    const seen = byLink.get(id);
    if (!seen) {
      byLink.set(id, { ...s, types: [...s.types].sort(), sources: [...s.sources].sort() });
      continue;
    }
    if (seen.value !== null && s.value !== null) seen.value += s.value;
    if (seen.value !== null || grouped) seen.count += s.count;
    seen.types = union(seen.types, s.types);
    seen.sources = union(seen.sources, s.sources);
    seen.apportioned ||= s.apportioned;
  }
  return [...byLink.values()];
}

/**
 * Keeps each column's `top` largest nodes (by the money through them, else by how many facts
 * touch them; ties by name) and puts the rest of the column into one group node.
 */
function group(segments: Segment[], top: number): Segment[] {
  const weight = new Map<string, { node: FlowNode; in: number; out: number }>();
  const size = (s: Segment) => s.value ?? s.count;
  for (const s of segments) {
    const from = weight.get(s.from.id) ?? { node: s.from, in: 0, out: 0 };
    from.out += size(s);
    weight.set(s.from.id, from);
    const to = weight.get(s.to.id) ?? { node: s.to, in: 0, out: 0 };
    to.in += size(s);
    weight.set(s.to.id, to);
  }
  const replaced = new Map<string, FlowNode>();
  for (const column of COLUMNS) {
    const ranked = [...weight.values()]
      .filter((w) => w.node.column === column)
      .sort(
        (a, b) =>
          Math.max(b.in, b.out) - Math.max(a.in, a.out) ||
          a.node.name.localeCompare(b.node.name) ||
          a.node.id.localeCompare(b.node.id),
      );
    const rest = ranked.slice(top);
    // A group of one would hide a name for nothing.
    if (rest.length < 2) continue;
    const names = GROUP_NAMES[column];
    const groupNode: FlowNode = {
      id: `${column}:*`,
      column,
      key: null,
      name: `${rest.length} ${names[1]}`,
      grouped: rest.length,
    };
    for (const w of rest) replaced.set(w.node.id, groupNode);
  }
  return merge(
    segments.map((s) => ({
      ...s,
      from: replaced.get(s.from.id) ?? s.from,
      to: replaced.get(s.to.id) ?? s.to,
    })),
    true,
  );
}

const columnIndex = (n: FlowNode) => COLUMNS.indexOf(n.column);

/**
 * The links of a flow: from the money rows when there are any, else from the relations, per
 * currency grouped to `top` nodes a column, in a stable order (currency, column, largest first).
 */
export function moneyFlowLinks(
  money: MoneyFlowRow[],
  relations: RelationFlowRow[],
  top: number,
): MoneyFlow[] {
  const segments =
    money.length > 0 ? money.flatMap(moneySegments) : relations.flatMap(relationSegments);
  const currencies = [...new Set(segments.map((s) => s.currency))];
  return currencies
    .sort((a, b) => (a ?? '').localeCompare(b ?? ''))
    .flatMap((currency) =>
      group(
        merge(
          segments.filter((s) => s.currency === currency),
          false,
        ),
        top,
      ).sort(
        (a, b) =>
          columnIndex(a.from) - columnIndex(b.from) ||
          (b.value ?? b.count) - (a.value ?? a.count) ||
          a.from.id.localeCompare(b.from.id) ||
          a.to.id.localeCompare(b.to.id),
      ),
    )
    .map((s) => ({ ...s, types: s.types as TransactionType[] }));
}
