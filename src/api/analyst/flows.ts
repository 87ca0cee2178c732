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

/** What a step of a flow carries: one row's money, or one relation (value null). */
interface Fact {
  currency: string | null;
  value: number | null;
  count: number;
  types: string[];
  sources: string[];
  apportioned: boolean;
}

/** One step of a flow before grouping: its nodes, and the fact it carries (shared, not copied). */
interface Segment {
  from: FlowNode;
  to: FlowNode;
  fact: Fact;
}

/**
 * The nodes of one flow, each made once: a hub funder's flow has tens of thousands of rows,
 * and most of their nodes are met many times.
 */
class Nodes {
  private readonly made = new Map<FlowColumn, Map<string | null, FlowNode>>(
    COLUMNS.map((column) => [column, new Map()]),
  );
  of(column: FlowColumn, row: FlowNodeRow | null): FlowNode {
    const made = this.made.get(column) as Map<string | null, FlowNode>;
    let node = made.get(row ? row.key : null);
    if (!node) {
      node = row
        ? { id: `${column}:${row.key}`, column, key: row.key, name: row.name, grouped: null }
        : { id: `${column}:-`, column, key: null, name: UNNAMED[column], grouped: null };
      made.set(row ? row.key : null, node);
    }
    return node;
  }
}

/** The steps of one row of money: funder → (fund →) programme, and programme → recipient. */
function moneySegments(row: MoneyFlowRow, nodes: Nodes): Segment[] {
  const fact: Fact = row;
  const funder = nodes.of('FUNDER', row.funder);
  const programme = nodes.of('PROGRAMME', row.programme);
  const recipient = nodes.of('RECIPIENT', row.recipient);
  const fund = row.fund ? nodes.of('FUND', row.fund) : null;
  const head: Segment[] = fund
    ? [
        { from: funder, to: fund, fact },
        { from: fund, to: programme, fact },
      ]
    : [{ from: funder, to: programme, fact }];
  return [...head, { from: programme, to: recipient, fact }];
}

/** The steps of a programme's relations without amounts: one per route and participant. */
function relationSegments(row: RelationFlowRow, nodes: Nodes): Segment[] {
  const programme = nodes.of('PROGRAMME', row.programme);
  const fact = (sources: string[]): Fact => ({
    currency: null,
    value: null,
    count: 1,
    types: [],
    sources,
    apportioned: false,
  });
  const segments: Segment[] = [];
  for (const route of row.routes) {
    const funder = nodes.of('FUNDER', route.funder);
    const sources = fact(route.sources);
    if (route.fund) {
      const fund = nodes.of('FUND', route.fund);
      segments.push({ from: funder, to: fund, fact: sources });
      segments.push({ from: fund, to: programme, fact: sources });
    } else {
      segments.push({ from: funder, to: programme, fact: sources });
    }
  }
  for (const p of row.participants) {
    segments.push({
      from: programme,
      to: nodes.of('RECIPIENT', p.recipient),
      fact: fact(p.sources),
    });
  }
  return segments;
}

/** A link being added up: its nodes and sums, its types and sources gathered in sets. */
interface Link {
  from: FlowNode;
  to: FlowNode;
  currency: string | null;
  value: number | null;
  count: number;
  types: Set<string>;
  sources: Set<string>;
  apportioned: boolean;
}

/**
 * Adds up the segments that run between the same two nodes (after `replaced`: a node's group,
 * where it has one), in one currency. Before grouping, two relations between the same nodes
 * are one fact met twice (a fund that funds two programmes): its count is not added; after it
 * (`grouped`), they are different facts that a group brings together. Money always adds.
 */
function merge(
  segments: Segment[],
  grouped: boolean,
  replaced: ReadonlyMap<FlowNode, FlowNode> = new Map(),
): Segment[] {
  // Nodes are made once per flow (Nodes), so a link is found by its two nodes themselves.
  const byLink = new Map<FlowNode, Map<FlowNode, Link>>();
  const links: Link[] = [];
  for (const { from: f, to: t, fact } of segments) {
    const from = replaced.get(f) ?? f;
    const to = replaced.get(t) ?? t;
    let fromHere = byLink.get(from);
    if (!fromHere) {
      fromHere = new Map();
      byLink.set(from, fromHere);
    }
    const seen = fromHere.get(to);
    if (!seen) {
      const link: Link = {
        from,
        to,
        currency: fact.currency,
        value: fact.value,
        count: fact.count,
        types: new Set(fact.types),
        sources: new Set(fact.sources),
        apportioned: fact.apportioned,
      };
      fromHere.set(to, link);
      links.push(link);
      continue;
    }
    if (seen.value !== null && fact.value !== null) seen.value += fact.value;
    if (seen.value !== null || grouped) seen.count += fact.count;
    for (const x of fact.types) seen.types.add(x);
    for (const x of fact.sources) seen.sources.add(x);
    seen.apportioned ||= fact.apportioned;
  }
  return links.map((l) => ({
    from: l.from,
    to: l.to,
    fact: {
      currency: l.currency,
      value: l.value,
      count: l.count,
      types: [...l.types].sort(),
      sources: [...l.sources].sort(),
      apportioned: l.apportioned,
    },
  }));
}

/**
 * Names and ids compared as localeCompare does, with one collator made once: a hub funder's
 * thousands of recipients often tie on money, and localeCompare makes one per call.
 */
const byText = new Intl.Collator().compare;

/** A node and the money (or the facts) through it. */
interface Weight {
  node: FlowNode;
  size: number;
}

/**
 * The `n` first items in `order`, and the rest (in no order): one pass, without sorting them
 * all — a hub funder's flow has thousands of recipients, often tied on money, and only the
 * first dozen are drawn by name.
 */
export function largest<T>(items: T[], n: number, order: (a: T, b: T) => number) {
  const first: T[] = [];
  const rest: T[] = [];
  for (const item of items) {
    const last = first[first.length - 1];
    if (first.length === n && last !== undefined && order(item, last) >= 0) {
      rest.push(item);
      continue;
    }
    let i = first.length;
    while (i > 0 && order(item, first[i - 1] as T) < 0) i--;
    first.splice(i, 0, item);
    if (first.length > n) rest.push(first.pop() as T);
  }
  return { first, rest };
}

/**
 * Keeps each column's `top` largest nodes (by the money through them, else by how many facts
 * touch them; ties by name) and puts the rest of the column into one group node: the node each
 * grouped node is replaced by.
 */
function groups(segments: Segment[], top: number): Map<FlowNode, FlowNode> {
  const weight = new Map<FlowNode, { node: FlowNode; in: number; out: number }>();
  for (const { from, to, fact } of segments) {
    const size = fact.value ?? fact.count;
    const a = weight.get(from) ?? { node: from, in: 0, out: 0 };
    a.out += size;
    weight.set(from, a);
    const b = weight.get(to) ?? { node: to, in: 0, out: 0 };
    b.in += size;
    weight.set(to, b);
  }
  const replaced = new Map<FlowNode, FlowNode>();
  const ranking = (a: Weight, b: Weight) =>
    b.size - a.size || byText(a.node.name, b.node.name) || byText(a.node.id, b.node.id);
  for (const column of COLUMNS) {
    const rest = largest(
      [...weight.values()]
        .filter((w) => w.node.column === column)
        .map((w) => ({ node: w.node, size: Math.max(w.in, w.out) })),
      top,
      ranking,
    ).rest;
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
    for (const w of rest) replaced.set(w.node, groupNode);
  }
  return replaced;
}

/**
 * One currency's links, grouped to `top` nodes a column. Relations are merged before they are
 * weighed (a fact met twice counts once); money is not, since its sums are the same either way
 * (but for the last digits of floating point: they are added in another order).
 */
function currencyLinks(segments: Segment[], money: boolean, top: number): Segment[] {
  const facts = money ? segments : merge(segments, false);
  return merge(facts, true, groups(facts, top));
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
  const nodes = new Nodes();
  const segments =
    money.length > 0
      ? money.flatMap((row) => moneySegments(row, nodes))
      : relations.flatMap((row) => relationSegments(row, nodes));
  const byCurrency = new Map<string | null, Segment[]>();
  for (const s of segments) {
    const list = byCurrency.get(s.fact.currency);
    if (list) list.push(s);
    else byCurrency.set(s.fact.currency, [s]);
  }
  return [...byCurrency.keys()]
    .sort((a, b) => (a ?? '').localeCompare(b ?? ''))
    .flatMap((currency) =>
      currencyLinks(byCurrency.get(currency) ?? [], money.length > 0, top).sort(
        (a, b) =>
          columnIndex(a.from) - columnIndex(b.from) ||
          (b.fact.value ?? b.fact.count) - (a.fact.value ?? a.fact.count) ||
          byText(a.from.id, b.from.id) ||
          byText(a.to.id, b.to.id),
      ),
    )
    .map(({ from, to, fact }) => ({
      from,
      to,
      ...fact,
      types: fact.types as TransactionType[],
    }));
}
