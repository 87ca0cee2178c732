/**
 * Bookkeeping for resolution across imports (RESOLUTION_LABEL, outside the model): per IATI
 * source, its distinct organisation mentions (`reporting|ref|name`, as RefEvidenceBuilder
 * tallies them), how often each is made, the node each resolved to, and where its file was
 * read. Every import resolves over its files' mentions and these, so that the graph does not
 * depend on the order in which files were imported; a source whose mentions now resolve to
 * other keys is written again from its file (ingest/iati/import-iati.ts).
 */
import type { Driver, Integer } from 'neo4j-driver';
import { RESOLUTION_LABEL } from '../model/index.js';

export interface SourceResolution {
  source: string;
  /** `reporting|ref|name` → how often the source makes that mention. */
  tally: [string, number][];
  /**
   * What each mention of `tally` resolved to, in the same order: the node's key, name and ref
   * (joined by the unit separator; '' for a placeholder).
   */
  keys: string[];
  /** The absolute path or URL the file was read from. */
  location: string;
  /** The file's SHA-256 when it was read (to re-read exactly that file, or say it changed). */
  fileSha256: string;
}

/** Every source's record, by source key (complete imports only: see recordResolution). */
export async function sourceResolutions(
  driver: Driver,
  database: string,
): Promise<Map<string, SourceResolution>> {
  const { records } = await driver.executeQuery(
    `MATCH (r:${RESOLUTION_LABEL})
     MATCH (s:Source {key: r.source}) WHERE s.importStatus = 'COMPLETE' OR s.importStatus IS NULL
     RETURN r.source AS source, r.mentions AS mentions, r.counts AS counts, r.keys AS keys,
            r.location AS location, r.fileSha256 AS fileSha256
     ORDER BY source`,
    {},
    { database, routing: 'READ' },
  );
  return new Map(
    records.map((r) => {
      const mentions = r.get('mentions') as string[];
      const counts = (r.get('counts') as (number | Integer)[]).map((n) =>
        typeof n === 'number' ? n : n.toNumber(),
      );
      const source = r.get('source') as string;
      return [
        source,
        {
          source,
          tally: mentions.map((m, i): [string, number] => [m, counts[i] ?? 1]),
          keys: r.get('keys') as string[],
          location: r.get('location') as string,
          fileSha256: r.get('fileSha256') as string,
        },
      ];
    }),
  );
}

/** Replaces the record of `resolution.source` (after the source was written). */
export async function recordResolution(
  driver: Driver,
  database: string,
  resolution: SourceResolution,
): Promise<void> {
  await driver.executeQuery(
    `MERGE (r:${RESOLUTION_LABEL} {source: $source})
     SET r.mentions = $mentions, r.counts = $counts, r.keys = $keys,
         r.location = $location, r.fileSha256 = $fileSha256`,
    {
      source: resolution.source,
      mentions: resolution.tally.map(([m]) => m),
      counts: resolution.tally.map(([, n]) => n),
      keys: resolution.keys,
      location: resolution.location,
      fileSha256: resolution.fileSha256,
    },
    { database },
  );
}
