/**
 * The graph's version: a random id kept on one Setting node and replaced in the same
 * transaction as every write this project makes (the writer's imports, organisation merges,
 * the home choice) and after every API mutation. Read answers are cached by it
 * (api/response-cache.ts): a committed write moves it, so a cached answer is never stale. A
 * random id rather than a counter, so that an emptied and rebuilt graph never repeats a
 * version. Writes made outside this project (Cypher by hand) must replace it too:
 *
 *   MERGE (v:Setting {name: 'graphVersion'}) SET v.value = randomUUID()
 */
import type { Driver, ManagedTransaction } from 'neo4j-driver';
import { SETTING_LABEL } from '../model/index.js';
import { readAutoCommit } from './auto-commit.js';

export const GRAPH_VERSION_SETTING = 'graphVersion';

/** What the version read is called in Neo4j's transaction list (its metadata's `query`). */
export const GRAPH_VERSION_READ = 'graphVersion';

/** Cypher that moves the version; run it inside the writing transaction. */
export const BUMP_GRAPH_VERSION = `MERGE (v:${SETTING_LABEL} {name: '${GRAPH_VERSION_SETTING}'}) SET v.value = randomUUID()`;

/** Moves the version inside `tx`. */
export async function bumpGraphVersionIn(tx: Pick<ManagedTransaction, 'run'>): Promise<void> {
  await tx.run(BUMP_GRAPH_VERSION);
}

/** Moves the version in a transaction of its own (after a write made elsewhere). */
export async function bumpGraphVersion(driver: Driver, database: string): Promise<void> {
  await driver.executeQuery(BUMP_GRAPH_VERSION, {}, { database });
}

/** Gives the graph a version if it has none (a graph written before versions existed). */
export async function ensureGraphVersion(driver: Driver, database: string): Promise<void> {
  await driver.executeQuery(
    `MERGE (v:${SETTING_LABEL} {name: '${GRAPH_VERSION_SETTING}'}) ON CREATE SET v.value = randomUUID()`,
    {},
    { database },
  );
}

/** The current version; undefined when the graph has none (then nothing is cached). */
export async function readGraphVersion(
  driver: Driver,
  database: string,
  timeoutMs: number,
): Promise<string | undefined> {
  // One auto-commit read: every read request waits for this one (auto-commit.ts).
  const { records } = await readAutoCommit(
    driver,
    database,
    `MATCH (v:${SETTING_LABEL} {name: '${GRAPH_VERSION_SETTING}'}) RETURN v.value AS version`,
    {},
    { timeout: timeoutMs, metadata: { app: 'funding-graph', query: GRAPH_VERSION_READ } },
  );
  const version: unknown = records[0]?.get('version');
  return typeof version === 'string' ? version : undefined;
}

/**
 * Reads the version for many requests at once, never with a read that began before a request
 * arrived: a request that comes while a read is running waits for it to end and shares the next
 * one with every other request that came meanwhile. So each request sees every write committed
 * before it arrived, and Neo4j gets at most one version read at a time, however many requests
 * there are.
 */
export class GraphVersionReader {
  private running: Promise<string | undefined> | undefined;
  private queued: Promise<string | undefined> | undefined;

  constructor(private readonly read: () => Promise<string | undefined>) {}

  current(): Promise<string | undefined> {
    if (!this.running) return this.begin();
    this.queued ??= this.running
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined;
        return this.begin();
      });
    return this.queued;
  }

  private begin(): Promise<string | undefined> {
    const read = this.read().finally(() => {
      if (this.running === read) this.running = undefined;
    });
    this.running = read;
    return read;
  }
}
