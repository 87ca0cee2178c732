/**
 * Who "we" are: the home organisation, the default of every analyst question about "us".
 *
 * Home is explicit and stable. HOME_ORGANISATION names it (`CONFIGURED`); otherwise the graph
 * records it once, when the first source is imported into an empty graph — its publisher
 * (`FIRST_SOURCE_IMPORTED`; on a fresh clone, the seed page's publisher) — and no later import
 * changes it. When the chosen organisation has been merged into another node, home follows
 * the merge (store/merge-organisations.ts records each one); when it is gone, the API
 * refuses to start and says which setting to give, rather than answer every question with
 * an empty list.
 */
import type { Driver } from 'neo4j-driver';
import { StartupError } from '../errors/expected.js';
import { MERGE_LABEL, SETTING_LABEL } from '../model/index.js';
import { BUMP_GRAPH_VERSION } from './graph-version.js';

const HOME_SETTING = 'home';

export type HomeReason = 'CONFIGURED' | 'FIRST_SOURCE_IMPORTED';

export interface HomeChoice {
  /** The key of the home organisation now (after following merges). */
  key: string;
  reason: HomeReason;
  /** The source whose import made it home (FIRST_SOURCE_IMPORTED). */
  source: string | null;
  /** The key chosen, when that organisation was since merged into `key`. */
  mergedFrom: string | null;
}

type Run = (cypher: string, params: Record<string, unknown>) => Promise<unknown>;

/**
 * Records the publisher of `source` as home when no home is recorded yet and `source` is the
 * only source in the graph: called by the writer in the transaction that writes the source, so
 * a graph that gets its first source also gets its home, and no later import changes it.
 */
export async function recordHomeIfFirst(run: Run, source: string): Promise<void> {
  await run(
    `MATCH (s:Source {key: $source})
     WHERE s.publisher IS NOT NULL AND s.publisher <> ''
       AND NOT EXISTS { MATCH (:${SETTING_LABEL} {name: $setting}) }
       AND NOT EXISTS { MATCH (other:Source) WHERE other.key <> s.key }
     MERGE (h:${SETTING_LABEL} {name: $setting})
       ON CREATE SET h.value = s.publisher, h.reason = 'FIRST_SOURCE_IMPORTED',
                     h.source = s.key`,
    { source, setting: HOME_SETTING },
  );
}

interface Recorded {
  key: string;
  source: string | null;
}

async function recordedHome(driver: Driver, database: string): Promise<Recorded | undefined> {
  const { records } = await driver.executeQuery(
    `MATCH (h:${SETTING_LABEL} {name: $setting}) RETURN h.value AS key, h.source AS source`,
    { setting: HOME_SETTING },
    { database },
  );
  const r = records[0];
  if (!r) return undefined;
  const source: unknown = r.get('source');
  return { key: String(r.get('key')), source: typeof source === 'string' ? source : null };
}

/**
 * A graph imported before home was recorded: when all its sources have one publisher, that
 * publisher is home (and is recorded now); with several, nobody can tell which one is "us".
 */
async function recordOnlyPublisher(driver: Driver, database: string): Promise<Recorded> {
  const { records } = await driver.executeQuery(
    `MATCH (s:Source) WHERE s.publisher IS NOT NULL AND s.publisher <> ''
     WITH s.publisher AS publisher, min(s.key) AS source
     RETURN publisher, source ORDER BY publisher`,
    {},
    { database, routing: 'READ' },
  );
  const publishers = records.map((r) => ({
    key: String(r.get('publisher')),
    source: String(r.get('source')),
  }));
  const only = publishers[0];
  if (!only) {
    throw new StartupError(
      'No home organisation: the graph holds no source. Import one (npm run seed) or set HOME_ORGANISATION.',
    );
  }
  if (publishers.length > 1) {
    throw new StartupError(
      `No home organisation is recorded and the graph's sources have ${publishers.length} publishers (${publishers
        .map((p) => p.key)
        .join(', ')}): set HOME_ORGANISATION to the key of the one that is "us".`,
    );
  }
  await driver.executeQuery(
    `MERGE (h:${SETTING_LABEL} {name: $setting})
       ON CREATE SET h.value = $key, h.reason = 'FIRST_SOURCE_IMPORTED', h.source = $source
     WITH h
     ${BUMP_GRAPH_VERSION}`,
    { setting: HOME_SETTING, key: only.key, source: only.source },
    { database },
  );
  return only;
}

/**
 * The organisation `key` names now: itself, or the node it was merged into, following the
 * merge records one by one; undefined when there is neither.
 */
export async function survivingOrganisation(
  driver: Driver,
  database: string,
  key: string,
): Promise<string | undefined> {
  const seen = new Set<string>();
  for (let at: string | undefined = key; at !== undefined && !seen.has(at);) {
    seen.add(at);
    const { records } = await driver.executeQuery(
      `OPTIONAL MATCH (o:Organisation {key: $key})
       OPTIONAL MATCH (m:${MERGE_LABEL} {from: $key})
       RETURN o IS NOT NULL AS exists, m.into AS into ORDER BY m.at DESC LIMIT 1`,
      { key: at },
      { database, routing: 'READ' },
    );
    if (records[0]?.get('exists') === true) return at;
    const into: unknown = records[0]?.get('into');
    at = typeof into === 'string' ? into : undefined;
  }
  return undefined;
}

/** Chooses home at start-up: configured, else recorded; follows merges; fails when gone. */
export async function chooseHome(
  driver: Driver,
  database: string,
  configured: string | undefined,
): Promise<HomeChoice> {
  const chosen: Recorded & { reason: HomeReason } = configured
    ? { key: configured, source: null, reason: 'CONFIGURED' }
    : {
        ...((await recordedHome(driver, database)) ??
          (await recordOnlyPublisher(driver, database))),
        reason: 'FIRST_SOURCE_IMPORTED',
      };
  const key = await survivingOrganisation(driver, database, chosen.key);
  if (key === undefined) {
    throw new StartupError(
      chosen.reason === 'CONFIGURED'
        ? `HOME_ORGANISATION is "${chosen.key}", but no organisation has that key: give the key of one (see organisations { key name }).`
        : `The home organisation recorded in the graph, "${chosen.key}" (the publisher of ${chosen.source ?? 'the first source'}), is no longer in the graph: set HOME_ORGANISATION to the key of the organisation that is "us" (see organisations { key name }), or re-import its source.`,
    );
  }
  return {
    key,
    reason: chosen.reason,
    source: chosen.source,
    mergedFrom: key === chosen.key ? null : chosen.key,
  };
}
