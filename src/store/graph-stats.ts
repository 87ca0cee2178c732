/** What the graph holds: counts for the import summary and the tests, and "is it empty?". */
import type { Driver } from 'neo4j-driver';
import { BOOKKEEPING_LABELS } from '../model/index.js';

export interface GraphCounts {
  labels: Record<string, number>;
  types: Record<string, number>;
}

/** Nodes per label (bookkeeping aside) and relationships per type in the whole database. */
export async function countGraph(driver: Driver, database: string): Promise<GraphCounts> {
  const labels = await driver.executeQuery(
    // The writer's bookkeeping is not graph content.
    `MATCH (n) WHERE NOT n:${BOOKKEEPING_LABELS.join('|')} UNWIND labels(n) AS label RETURN label, count(*) AS n ORDER BY label`,
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

/** True when the database holds no node of the model yet (then `npm start` seeds it). */
export async function isGraphEmpty(driver: Driver, database: string): Promise<boolean> {
  const { records } = await driver.executeQuery(
    'MATCH (n) WHERE n:Organisation OR n:Programme RETURN count(n) > 0 AS any',
    {},
    { database },
  );
  return records[0]?.get('any') !== true;
}
