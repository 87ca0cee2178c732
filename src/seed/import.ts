/**
 * page → extraction → validation → graph rows → **import**. Writes one extraction in a single
 * transaction: MERGE on stable keys (nodes) and fact ids (relationships), then removes what
 * this source said before but no longer says. Nodes and facts that several sources state are
 * shared, with every source in `sources`. Running it twice changes nothing; a failure
 * rolls everything back.
 */
import type { Driver, QueryResult } from 'neo4j-driver';
import { ensureSchema } from '../db/schema-ops.js';
import { KEY_PROPERTY, NODE_LABELS, type GraphRows } from './graph.js';

export interface ImportSummary {
  sources: string[];
  nodesCreated: number;
  nodesDeleted: number;
  relationshipsCreated: number;
  relationshipsDeleted: number;
  propertiesSet: number;
}

/** Labels whose nodes sources name (countries are everybody's and never removed). */
const SOURCE_OWNED = ['Place', 'Organisation', 'Fund', 'Programme'] as const;

/** Imports one or more sources in a single transaction: all of them, or none. */
export async function importGraphs(
  driver: Driver,
  database: string,
  graphs: readonly GraphRows[],
): Promise<ImportSummary> {
  await ensureSchema(driver, database);
  const session = driver.session({ database });
  try {
    return await session.executeWrite(async (tx) => {
      const summary: ImportSummary = {
        sources: graphs.map((g) => g.source),
        nodesCreated: 0,
        nodesDeleted: 0,
        relationshipsCreated: 0,
        relationshipsDeleted: 0,
        propertiesSet: 0,
      };
      const run = async (cypher: string, params: Record<string, unknown>) => {
        const result: QueryResult = await tx.run(cypher, params);
        const c = result.summary.counters.updates();
        summary.nodesCreated += c.nodesCreated;
        summary.nodesDeleted += c.nodesDeleted;
        summary.relationshipsCreated += c.relationshipsCreated;
        summary.relationshipsDeleted += c.relationshipsDeleted;
        summary.propertiesSet += c.propertiesSet;
      };
      for (const graph of graphs) {
        await writeNodes(run, graph);
        await writeRelationships(run, graph);
        await removeStale(run, graph);
      }
      return summary;
    });
  } finally {
    await session.close();
  }
}

type Run = (cypher: string, params: Record<string, unknown>) => Promise<void>;

// Labels, relationship types and key names below come from the constant lists in graph.ts,
// never from input; every value travels as a parameter.
async function writeNodes(run: Run, graph: GraphRows) {
  for (const label of NODE_LABELS) {
    const rows = graph.nodes[label];
    if (rows.length === 0) continue;
    const key = KEY_PROPERTY[label];
    if (label === 'Country') {
      // Shared by every source: keep aliases other sources added.
      await run(
        `UNWIND $rows AS row
         MERGE (n:Country {code: row.code})
         SET n.nameEn = row.nameEn, n.nameNl = row.nameNl,
             n.aliases = [a IN coalesce(n.aliases, []) WHERE NOT a IN row.aliases] + row.aliases`,
        { rows },
      );
    } else if (label === 'Source') {
      await run('UNWIND $rows AS row MERGE (n:Source {key: row.key}) SET n = row', { rows });
    } else {
      // Several sources may name the same node: the last import sets its properties, and
      // `sources` lists every source that names it.
      await run(
        `UNWIND $rows AS row
         MERGE (n:${label} {${key}: row.${key}})
         WITH n, row, [s IN coalesce(n.sources, []) WHERE s <> $source] AS others
         SET n = row, n.sources = apoc.coll.sort(others + $source)`,
        { rows, source: graph.source },
      );
    }
  }
}

async function writeRelationships(run: Run, graph: GraphRows) {
  for (const group of graph.relationships) {
    const fromKey = KEY_PROPERTY[group.fromLabel];
    const toKey = KEY_PROPERTY[group.toLabel];
    await run(
      `UNWIND $rows AS row
       MATCH (a:${group.fromLabel} {${fromKey}: row.from})
       MATCH (b:${group.toLabel} {${toKey}: row.to})
       MERGE (a)-[r:${group.type} {fid: row.fid}]->(b)
       WITH r, row, [s IN coalesce(r.sources, []) WHERE s <> $source] AS others
       SET r = row.props, r.sources = apoc.coll.sort(others + $source)`,
      { rows: group.rows, source: graph.source },
    );
  }
}

/**
 * What this source said before but no longer says: deleted when no other source says it,
 * otherwise this source is taken off its `sources`.
 */
async function removeStale(run: Run, graph: GraphRows) {
  const source = graph.source;
  const fids = graph.relationships.flatMap((g) => g.rows.map((r) => r.fid));
  await run(`MATCH ()-[r]->() WHERE r.sources = [$source] AND NOT r.fid IN $fids DELETE r`, {
    source,
    fids,
  });
  await run(
    `MATCH ()-[r]->() WHERE $source IN r.sources AND NOT r.fid IN $fids
     SET r.sources = [s IN r.sources WHERE s <> $source]`,
    { source, fids },
  );
  for (const label of SOURCE_OWNED) {
    const keys = graph.nodes[label].map((n) => n.key);
    await run(
      `MATCH (n:${label}) WHERE n.sources = [$source] AND NOT n.key IN $keys DETACH DELETE n`,
      { source, keys },
    );
    await run(
      `MATCH (n:${label}) WHERE $source IN n.sources AND NOT n.key IN $keys
       SET n.sources = [s IN n.sources WHERE s <> $source]`,
      { source, keys },
    );
  }
}

/** Nodes per label and relationships per type in the whole database. */
export async function countGraph(
  driver: Driver,
  database: string,
): Promise<{ labels: Record<string, number>; types: Record<string, number> }> {
  const labels = await driver.executeQuery(
    'MATCH (n) UNWIND labels(n) AS label RETURN label, count(*) AS n ORDER BY label',
    {},
    { database },
  );
  const types = await driver.executeQuery(
    'MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS n ORDER BY type',
    {},
    { database },
  );
  return {
    labels: Object.fromEntries(
      labels.records.map((r) => [String(r.get('label')), Number(r.get('n'))]),
    ),
    types: Object.fromEntries(
      types.records.map((r) => [String(r.get('type')), Number(r.get('n'))]),
    ),
  };
}
