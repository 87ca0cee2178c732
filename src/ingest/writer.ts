/**
 * sources → validation → graph rows → **writer**: the one place that writes what sources state.
 * Every source reader hands it GraphRows; it writes them in a single transaction with MERGE on
 * stable keys (nodes) and fact ids (relationships), then removes what each source stated at
 * its previous import but no longer states. Nodes and facts that several sources state are
 * shared, with every source in `sources`. Running it twice changes nothing; a failure rolls
 * everything back. The first source written into an empty graph makes its publisher home
 * (store/home.ts).
 */
import { randomUUID } from 'node:crypto';
import { bumpGraphVersionIn } from '../store/graph-version.js';
import type { Driver, ManagedTransaction } from 'neo4j-driver';
import {
  KEY_PROPERTY,
  NAME_SOURCE_SEPARATOR,
  nameKeys,
  NODE_LABELS,
  nodeShapes,
  relationshipShapes,
  RELATIONSHIP_TYPES,
  STATEMENT_LABEL,
  storedNodeProperties,
  storedRelationshipProperties,
  type NodeLabel,
  type PropertyShapes,
  type RelationshipType,
} from '../model/index.js';
import { ExpectedError } from '../errors/expected.js';
import { recordHomeIfFirst } from '../store/home.js';
import { linkSamePrograms } from '../store/programme-links.js';
import { ensureSchema } from '../store/schema-ops.js';
import type { GraphRows, Props } from './graph-rows.js';

export interface ImportSummary {
  sources: string[];
  nodesCreated: number;
  nodesDeleted: number;
  relationshipsCreated: number;
  relationshipsDeleted: number;
  propertiesSet: number;
}

/** Labels whose nodes sources name (countries and regions are everybody's, never removed). */
const SOURCE_OWNED = [
  'Place',
  'Organisation',
  'Fund',
  'Programme',
  'Transaction',
  'Budget',
] as const;
type SourceOwned = (typeof SOURCE_OWNED)[number];

/** Writes one or more sources in a single transaction: all of them, or none. */
export async function writeGraphs(
  driver: Driver,
  database: string,
  graphs: readonly GraphRows[],
): Promise<ImportSummary> {
  const complete = graphs.map(completeRows);
  await ensureSchema(driver, database);
  const session = driver.session({ database });
  try {
    const written = await session.executeWrite(async (tx) => {
      const summary = emptySummary(complete.map((g) => g.source));
      const run = counting(tx, summary);
      for (const graph of complete) {
        const generation = newGeneration();
        const before = await statedBefore(tx, graph.source, generation);
        await writeNodes(run, graph);
        await writeRelationships(run, graph);
        const now = statementOf(graph);
        await recordStatement(uncounted(tx), graph.source, generation, now);
        await recordHomeIfFirst(uncounted(tx), graph.source);
        await finishSource(run, uncounted(tx), graph.source, now, before, generation);
      }
      await bumpGraphVersionIn(tx);
      return summary;
    });
    await linkProgrammes(
      driver,
      database,
      complete.map((g) => g.source),
    );
    return written;
  } catch (error) {
    throw tooLarge(error) ?? error;
  } finally {
    await session.close();
  }
}

/**
 * After a source is written: its programmes linked to the same programmes in other sources
 * (store/programme-links.ts), in a transaction of their own, once the source's facts are
 * committed and indexed.
 */
async function linkProgrammes(driver: Driver, database: string, sources: string[]) {
  const session = driver.session({ database });
  try {
    await session.executeWrite(async (tx) => {
      await linkSamePrograms(tx, sources);
      await bumpGraphVersionIn(tx);
    });
  } finally {
    await session.close();
  }
}

/** Runs Cypher in `tx` without counting it (bookkeeping). */
const uncounted =
  (tx: ManagedTransaction): Run =>
  async (cypher, params) =>
    (await tx.run(cypher, params)).records.map((r) => r.toObject());

/** Runs Cypher in `tx`, adding what each statement changed to `summary`. */
function counting(tx: ManagedTransaction, summary: ImportSummary): Run {
  return async (cypher, params) => {
    const result = await tx.run(cypher, params);
    const c = result.summary.counters.updates();
    addCounts(summary, c);
    return result.records.map((r) => r.toObject());
  };
}

function addCounts(to: ImportSummary, from: Omit<ImportSummary, 'sources'>) {
  to.nodesCreated += from.nodesCreated;
  to.nodesDeleted += from.nodesDeleted;
  to.relationshipsCreated += from.relationshipsCreated;
  to.relationshipsDeleted += from.relationshipsDeleted;
  to.propertiesSet += from.propertiesSet;
}

const emptySummary = (sources: string[]): ImportSummary => ({
  sources,
  nodesCreated: 0,
  nodesDeleted: 0,
  relationshipsCreated: 0,
  relationshipsDeleted: 0,
  propertiesSet: 0,
});

/**
 * One source written in batches, each its own transaction, for files too large for one. The
 * Source is marked INCOMPLETE first and COMPLETE only when the last step has removed what it
 * no longer states; an interrupted import stays INCOMPLETE (visible in the CLI and the API),
 * and running it again converges to exactly the clean result.
 */
export class BatchedSourceWrite {
  readonly summary: ImportSummary;
  private readonly stated: Statement = { nodes: new Set(), facts: new Set() };
  /** This import's statement records; older ones (an interrupted run's too) are "before". */
  private readonly generation = newGeneration();

  constructor(
    private readonly driver: Driver,
    private readonly database: string,
    private readonly source: string,
  ) {
    this.summary = emptySummary([source]);
  }

  private async transaction(work: (run: Run, tx: ManagedTransaction) => Promise<void>) {
    const session = this.driver.session({ database: this.database });
    try {
      await session.executeWrite(async (tx) => {
        const counts = emptySummary([]);
        await work(counting(tx, counts), tx);
        await bumpGraphVersionIn(tx);
        // Counted once the transaction is done (a retried one would count twice).
        addCounts(this.summary, counts);
      });
    } catch (error) {
      throw tooLarge(error, true) ?? error;
    } finally {
      await session.close();
    }
  }

  /** Marks the source INCOMPLETE. */
  async begin(): Promise<void> {
    await ensureSchema(this.driver, this.database);
    await this.transaction(async (run) => {
      await run(
        `MERGE (s:Source {key: $source})
         SET s.importStatus = 'INCOMPLETE'`,
        { source: this.source },
      );
    });
  }

  /** Writes one batch of rows (their Source row included) in its own transaction. */
  async write(graph: GraphRows): Promise<void> {
    const complete = completeRows(graph);
    const statement = statementOf(complete);
    await this.transaction(async (run, tx) => {
      await writeNodes(run, complete);
      await writeRelationships(run, complete);
      // What this batch states is recorded with it: an interrupted import leaves a record of
      // everything it wrote, which the next import's finish removes if no longer stated.
      await recordStatement(uncounted(tx), this.source, this.generation, statement);
      await run("MATCH (s:Source {key: $source}) SET s.importStatus = 'INCOMPLETE'", {
        source: this.source,
      });
      await recordHomeIfFirst(uncounted(tx), this.source);
    });
    statement.nodes.forEach((n) => this.stated.nodes.add(n));
    statement.facts.forEach((f) => this.stated.facts.add(f));
  }

  /**
   * Removes what the source no longer states, sets `properties` on the Source (what is known
   * only at the end, such as its merges) and marks it COMPLETE, in one transaction.
   */
  async finish(properties: Props = {}): Promise<void> {
    await this.transaction(async (run, tx) => {
      await run('MATCH (s:Source {key: $source}) SET s += $properties', {
        source: this.source,
        properties,
      });
      const before = await statedBefore(tx, this.source, this.generation);
      await finishSource(run, uncounted(tx), this.source, this.stated, before, this.generation);
    });
    await linkProgrammes(this.driver, this.database, [this.source]);
  }
}

/**
 * Neo4j refuses a transaction larger than its memory allows: the whole import is rolled back,
 * which the user is told in words, not with a driver stack trace.
 */
function tooLarge(error: unknown, batched = false): ExpectedError | undefined {
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string' || !/Memory/i.test(code)) return undefined;
  const written = batched
    ? 'this step was not written; earlier batches stay, and the source stays INCOMPLETE until an import of it completes'
    : 'nothing was written';
  return new ExpectedError(
    'IMPORT_TOO_LARGE',
    `The import is larger than one Neo4j transaction may hold (${code}); ${written}. ` +
      'Import fewer or smaller files at a time, or give the local Neo4j more memory (NEO4J_LOCAL_HEAP).',
  );
}

type Run = (cypher: string, params: Record<string, unknown>) => Promise<Record<string, unknown>[]>;

/**
 * Rows as the model (schema/) declares them: a property a reader does not know is stored as
 * null ([] for a list), a required one it leaves out or one the model does not declare is a
 * reader's bug, caught before anything is written. `sources` is the writer's own.
 */
export function completeRows(graph: GraphRows): GraphRows {
  const WRITERS_OWN = new Set(['sources', 'importStatus']);
  const complete = (
    row: Props,
    shapes: PropertyShapes,
    allowed: ReadonlySet<string>,
    what: string,
  ) => {
    const unknown = Object.keys(row).filter((p) => !allowed.has(p) || WRITERS_OWN.has(p));
    if (unknown.length > 0) {
      throw new Error(`invariant: ${what} rows carry ${unknown.join(', ')}, not in the model`);
    }
    const out: Props = { ...row };
    for (const [property, shape] of Object.entries(shapes)) {
      if (WRITERS_OWN.has(property) || out[property] !== undefined) continue;
      if (shape === 'required') {
        throw new Error(`invariant: ${what} rows lack ${property}, which the model requires`);
      }
      out[property] = shape === 'list' ? [] : null;
    }
    return out;
  };
  const nodes = Object.fromEntries(
    NODE_LABELS.map((label) => [
      label,
      graph.nodes[label].map((row) =>
        complete(row, nodeShapes(label), storedNodeProperties(label), label),
      ),
    ]),
  ) as GraphRows['nodes'];
  const relationships = graph.relationships.map((group) => {
    const shapes = relationshipShapes(group.type, group.fromLabel, group.toLabel);
    const allowed = storedRelationshipProperties(group.type, group.fromLabel, group.toLabel);
    return {
      ...group,
      rows: group.rows.map((row) => ({
        ...row,
        props: complete(row.props, shapes, allowed, group.type),
      })),
    };
  });
  return { ...graph, nodes, relationships };
}

/**
 * Names a node is matched by: its names and aliases, normalised (see model/names.ts); and, where
 * the model keeps them, each name with the source that gives it (`namesBySource`).
 */
const withNameKeys = (label: NodeLabel, row: Props, source: string): Props => {
  const stored = storedNodeProperties(label);
  if (!stored.has('nameKeys')) return row;
  const names = [
    row.name,
    row.nameEn,
    row.nameNl,
    row.acronym,
    ...(row.aliases as string[]),
  ].filter((n): n is string => typeof n === 'string');
  return {
    ...row,
    nameKeys: nameKeys(names),
    ...(stored.has('namesBySource')
      ? {
          namesBySource: [...new Set(names)]
            .sort()
            .map((n) => `${source}${NAME_SOURCE_SEPARATOR}${n}`),
        }
      : {}),
    // The ref each source quotes (a curated one is the curators', not the source's).
    ...(stored.has('refsBySource')
      ? {
          refsBySource:
            typeof row.iatiRef === 'string' && row.iatiRefCurated !== true
              ? [`${source}${NAME_SOURCE_SEPARATOR}${row.iatiRef}`]
              : [],
        }
      : {}),
  };
};

/**
 * A shared organisation's `iatiRef` is the curators' where they gave one, else the one the
 * source whose key sorts first quotes (`refsBySource`): so it never outlives the sources that
 * quote it, and does not depend on the order they were written in.
 */
const DERIVE_REF = `CASE WHEN coalesce(n.iatiRefCurated, false) OR n.refsBySource IS NULL THEN n.iatiRef
  WHEN size(n.refsBySource) = 0 THEN null
  ELSE split(apoc.coll.sort(n.refsBySource)[0], $separator)[1] END`;

// Labels, relationship types and key names below come from the model (src/model/), never from
// input; every value travels as a parameter.
/**
 * List properties that every source adds to, rather than replaces, on a shared node. A source's
 * entries in `namesBySource` go when it no longer names the node (finishSource).
 */
const UNION_PROPERTIES = ['aliases', 'nameKeys', 'namesBySource', 'refsBySource'];

/**
 * The row statements are planned once per Neo4j start: every lookup in them is a unique index
 * or a forced index seek (USING INDEX SEEK), so a plan made when the graph was empty stays
 * right, and replanning them as the statistics move during a large import (a fifth of Neo4j's
 * time on a 13,000-activity file) buys nothing. Without the forced seeks a plan made on an
 * empty relationship type could scan the index for every row (seen: 34 s and 248 s for one
 * type's facts in one import).
 */
const PLANNED_ONCE = 'CYPHER replan=skip';

async function writeNodes(run: Run, graph: GraphRows) {
  for (const label of NODE_LABELS) {
    const rows = graph.nodes[label].map((row) => withNameKeys(label, row, graph.source));
    if (rows.length === 0) continue;
    const key = KEY_PROPERTY[label];
    const stored = storedNodeProperties(label);
    const unions = UNION_PROPERTIES.filter((p) => stored.has(p));
    // On a node another source also names: what this one gives is added (nulls never erase what
    // the other says), and alias lists are joined.
    // Lists are joined and sorted, so that the order in which sources were written shows nowhere.
    const joinLists = unions.map(
      (p) => `n.${p} = apoc.coll.sort(apoc.coll.toSet(coalesce(n.${p}, []) + row.${p}))`,
    );

    const addTo = [
      `n += apoc.map.clean(row, ${JSON.stringify(unions)}, [null])`,
      ...joinLists,
    ].join(', ');
    // On a node several sources name, a property two of them give is the one of the source whose
    // key sorts first (whatever order they were imported in); the others only fill what is
    // missing. A kind of UNSPECIFIED says nothing and never replaces a stated one.
    const shareWith = [
      `n += apoc.map.clean(
         CASE WHEN all(o IN others WHERE $source < o) THEN row
         ELSE apoc.map.fromPairs([k IN keys(row) WHERE n[k] IS NULL OR (k = 'kind' AND n.kind = 'UNSPECIFIED') | [k, row[k]]]) END,
         ${JSON.stringify(unions)} + CASE WHEN row.kind = 'UNSPECIFIED' AND n.kind IS NOT NULL
           THEN ['kind', 'iatiOrganisationType'] ELSE [] END,
         [null])`,
      ...joinLists,
    ].join(', ');
    if (label === 'Source') {
      await run('UNWIND $rows AS row MERGE (n:Source {key: row.key}) SET n += row', { rows });
    } else if (!stored.has('sources')) {
      // Everybody's (countries, regions): never replaced, only added to.
      await run(
        `${PLANNED_ONCE} UNWIND $rows AS row MERGE (n:${label} {${key}: row.${key}}) SET ${addTo}`,
        { rows },
      );
    } else {
      // A new node (most of a first import) is created with its row in one step. A node only
      // this source names is replaced by its row (so a property the source no longer gives
      // goes); `sources` lists every source that names a node.
      await run(
        `${PLANNED_ONCE}
         UNWIND $rows AS row
         OPTIONAL MATCH (existing:${label} {${key}: row.${key}})
           USING INDEX SEEK existing:${label}(${key})
         CALL (row, existing) {
           WITH row WHERE existing IS NULL
           MERGE (n:${label} {${key}: row.${key}})
           SET n = row, n.sources = [$source]
         }
         CALL (row, existing) {
           WITH row, existing AS n WHERE existing IS NOT NULL
           WITH n, row, [s IN coalesce(n.sources, []) WHERE s <> $source] AS others
           CALL (n, row, others) { WITH * WHERE others = [] SET n = row }
           CALL (n, row, others) { WITH * WHERE others <> [] SET ${shareWith} }
           SET n.sources = apoc.coll.sort(others + $source)${stored.has('refsBySource') ? `, n.iatiRef = ${DERIVE_REF}` : ''}
         }`,
        { rows: rows.map(withoutNulls), source: graph.source, separator: NAME_SOURCE_SEPARATOR },
      );
    }
  }
}

/**
 * A row without its null properties: `SET n = row` removes what a row leaves out just as it
 * removes a null, and nulls are never added to a shared node (apoc.map.clean), so they need not
 * travel to Neo4j.
 */
const withoutNulls = (row: Props): Props =>
  Object.fromEntries(Object.entries(row).filter(([, v]) => v !== null));

/** A fact's properties as they travel: without nulls, and without `fid`, which goes beside them. */
const factProps = (props: Props): Props => withoutNulls({ ...props, fid: null });

async function writeRelationships(run: Run, graph: GraphRows) {
  for (const group of graph.relationships) {
    const fromKey = KEY_PROPERTY[group.fromLabel];
    const toKey = KEY_PROPERTY[group.toLabel];
    // Found by its fact id through the fid index, not by MERGE between its two nodes: MERGE
    // walks every relationship of the busier end, and a hub funder has tens of thousands.
    await run(
      `${PLANNED_ONCE}
       UNWIND $rows AS row
       OPTIONAL MATCH ()-[found:${group.type} {fid: row.fid}]->()
         USING INDEX SEEK found:${group.type}(fid)
       CALL (row, found) {
         WITH row WHERE found IS NULL
         MATCH (a:${group.fromLabel} {${fromKey}: row.from})
           USING INDEX SEEK a:${group.fromLabel}(${fromKey})
         MATCH (b:${group.toLabel} {${toKey}: row.to})
           USING INDEX SEEK b:${group.toLabel}(${toKey})
         CREATE (a)-[r:${group.type}]->(b)
         SET r = row.props, r.fid = row.fid, r.sources = [$source]
       }
       CALL (row, found) {
         WITH row, found AS r WHERE found IS NOT NULL
         WITH r, row, [s IN coalesce(r.sources, []) WHERE s <> $source] AS others
         // A fact several sources state keeps the statement of the source whose key sorts first.
         CALL (r, row, others) {
           WITH * WHERE all(o IN others WHERE $source < o)
           SET r = row.props, r.fid = row.fid
         }
         SET r.sources = apoc.coll.sort(others + $source)
       }`,
      {
        rows: group.rows.map((r) => ({ ...r, props: factProps(r.props) })),
        source: graph.source,
      },
    );
  }
}

/** What a source stated at its previous import: node keys per label, and fact ids. */
interface Stated {
  nodes: Record<SourceOwned, string[]>;
  facts: string[];
}

const emptyStated = (): Stated => ({
  nodes: { Place: [], Organisation: [], Fund: [], Programme: [], Transaction: [], Budget: [] },
  facts: [],
});

/**
 * What `source` stated before this import (`generation`): its Statement records of other
 * generations — the last complete import's and an interrupted one's — and, from graphs written
 * before those records existed, the lists on the Source node.
 */
async function statedBefore(
  tx: ManagedTransaction,
  source: string,
  generation: string,
): Promise<Stated> {
  const { records } = await tx.run(
    `MATCH (s:Source {key: $source})
     RETURN s.statedNodes AS nodes, s.statedFacts AS facts
     UNION ALL
     MATCH (st:${STATEMENT_LABEL} {source: $source}) WHERE st.generation <> $generation
     RETURN st.nodes AS nodes, st.facts AS facts`,
    { source, generation },
  );
  const stated = emptyStated();
  for (const record of records) {
    for (const entry of (record.get('nodes') as string[] | null) ?? []) {
      const [label, ...key] = entry.split('|');
      if ((SOURCE_OWNED as readonly string[]).includes(label ?? '')) {
        stated.nodes[label as SourceOwned].push(key.join('|'));
      }
    }
    for (const fact of (record.get('facts') as string[] | null) ?? []) stated.facts.push(fact);
  }
  return stated;
}

/**
 * Bookkeeping outside the model (STATEMENT_LABEL): what a source states, in records of at most
 * STATEMENT_CHUNK node keys and fact ids each (one list on the Source would not fit in a
 * transaction for millions of facts). Not part of the API, not counted in import summaries;
 * `generation` tells one import's records from another's.
 */
const STATEMENT_CHUNK = 5_000;

export const newGeneration = () => randomUUID();

async function recordStatement(run: Run, source: string, generation: string, now: Statement) {
  const nodes = [...now.nodes];
  const facts = [...now.facts];
  const chunks: { nodes: string[]; facts: string[] }[] = [];
  for (let i = 0; i < nodes.length; i += STATEMENT_CHUNK)
    chunks.push({ nodes: nodes.slice(i, i + STATEMENT_CHUNK), facts: [] });
  for (let i = 0; i < facts.length; i += STATEMENT_CHUNK)
    chunks.push({ nodes: [], facts: facts.slice(i, i + STATEMENT_CHUNK) });
  for (let i = 0; i < chunks.length; i += 20) {
    await run(
      `UNWIND $chunks AS c
       CREATE (:${STATEMENT_LABEL} {source: $source, generation: $generation, nodes: c.nodes, facts: c.facts})`,
      { chunks: chunks.slice(i, i + 20), source, generation },
    );
  }
}

/** What a source states: its nodes (`Label|key`, of the labels sources own) and its facts. */
export interface Statement {
  nodes: Set<string>;
  facts: Set<string>;
}

export function statementOf(graph: GraphRows): Statement {
  const nodes = new Set<string>();
  for (const label of SOURCE_OWNED) {
    for (const n of graph.nodes[label]) nodes.add(`${label}|${String(n[KEY_PROPERTY[label]])}`);
  }
  return { nodes, facts: new Set(graph.relationships.flatMap((g) => g.rows.map((r) => r.fid))) };
}

/**
 * What this source stated before but no longer states: deleted when no other source states
 * it, otherwise this source is taken off its `sources`. Only the source's own earlier facts are
 * visited (by fid and key, through their indexes), never the whole graph. Then the Source
 * records what it states now and is COMPLETE.
 */
async function finishSource(
  run: Run,
  bookkeeping: Run,
  source: string,
  now: Statement,
  before: Stated,
  generation: string,
) {
  const staleByType = new Map<RelationshipType, string[]>();
  for (const fid of new Set(before.facts)) {
    if (now.facts.has(fid)) continue;
    const type = fid.split('|')[0] as RelationshipType;
    if (!RELATIONSHIP_TYPES.includes(type)) continue;
    staleByType.set(type, [...(staleByType.get(type) ?? []), fid]);
  }
  for (const [type, fids] of staleByType) {
    await run(
      `UNWIND $fids AS fid
       MATCH ()-[r:${type} {fid: fid}]->() USING INDEX SEEK r:${type}(fid)
       WHERE $source IN r.sources
       WITH r, [s IN r.sources WHERE s <> $source] AS others
       FOREACH (_ IN CASE WHEN others = [] THEN [1] ELSE [] END | DELETE r)
       FOREACH (_ IN CASE WHEN others <> [] THEN [1] ELSE [] END | SET r.sources = others)`,
      { fids, source },
    );
  }
  for (const label of SOURCE_OWNED) {
    const stale = [...new Set(before.nodes[label])].filter((k) => !now.nodes.has(`${label}|${k}`));
    if (stale.length === 0) continue;
    await run(
      `UNWIND $keys AS key
       MATCH (n:${label} {${KEY_PROPERTY[label]}: key}) USING INDEX SEEK n:${label}(${KEY_PROPERTY[label]})
       WHERE $source IN n.sources
       WITH n, [s IN n.sources WHERE s <> $source] AS others
       FOREACH (_ IN CASE WHEN others = [] THEN [1] ELSE [] END | DETACH DELETE n)
       FOREACH (_ IN CASE WHEN others <> [] THEN [1] ELSE [] END |
         SET n.sources = others,
             n.namesBySource = CASE WHEN n.namesBySource IS NULL THEN null
               ELSE [x IN n.namesBySource WHERE NOT x STARTS WITH $source + $separator] END,
             n.refsBySource = CASE WHEN n.refsBySource IS NULL THEN null
               ELSE [x IN n.refsBySource WHERE NOT x STARTS WITH $source + $separator] END
         ${label === 'Organisation' ? `SET n.iatiRef = ${DERIVE_REF}` : ''})`,
      { keys: stale, source, separator: NAME_SOURCE_SEPARATOR },
    );
  }
  await bookkeeping(
    `MATCH (st:${STATEMENT_LABEL} {source: $source}) WHERE st.generation <> $generation
     DELETE st`,
    { source, generation },
  );
  await bookkeeping(
    `MATCH (s:Source {key: $source})
     REMOVE s.statedNodes, s.statedFacts
     SET s.importStatus = 'COMPLETE'`,
    { source },
  );
}
