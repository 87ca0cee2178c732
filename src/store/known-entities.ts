/** What a source reader needs to know of the graph before it writes: to resolve, and to link. */
import type { Driver } from 'neo4j-driver';
import { IATI_SOURCE_PREFIX, NAME_SOURCE_SEPARATOR } from '../model/index.js';

/** An organisation as the graph knows it, for resolving the names a source gives. */
export interface KnownOrganisation {
  key: string;
  iatiRef?: string | null;
  name: string;
  names: readonly string[];
  /** What the graph says of it already (absent for an organisation new in this import). */
  stored?: { kind: string; quote: string };
}

/**
 * Every organisation with its ref and every name it is known by — but those that only the
 * sources in `reading` name: an import of those sources finds them again from their files, as it
 * did the first time (else what the first import wrote would change how the second resolves).
 */
export async function knownOrganisations(
  driver: Driver,
  database: string,
  reading: readonly string[] = [],
): Promise<KnownOrganisation[]> {
  const { records } = await driver.executeQuery(
    `MATCH (o:Organisation)
     WHERE coalesce(o.sources, []) = [] OR any(s IN o.sources WHERE NOT s IN $reading)
     // A ref that a source in \`reading\` gave (an IATI source: the page's are curated) is not
     // what the others say of it.
     WITH o, coalesce(o.iatiRefCurated, false)
             OR any(s IN coalesce(o.sources, []) WHERE NOT s IN $reading AND s STARTS WITH $iati)
             OR NOT any(s IN coalesce(o.sources, []) WHERE s IN $reading) AS refKnown
     RETURN o.key AS key, CASE WHEN refKnown THEN o.iatiRef END AS iatiRef, o.name AS name,
            o.kind AS kind, o.quote AS quote,
            // A node written before names were kept by source (or a source's names missing):
            // every name it has.
            CASE WHEN o.namesBySource IS NULL
                   OR any(s IN o.sources WHERE NOT s IN $reading
                          AND none(x IN o.namesBySource WHERE x STARTS WITH s + $separator))
              THEN [n IN [o.nameEn] + coalesce(o.aliases, []) WHERE n IS NOT NULL]
              // What the other sources call it (not what an earlier import of these added).
              ELSE apoc.coll.toSet([x IN o.namesBySource WHERE NOT split(x, $separator)[0] IN $reading
                                    | split(x, $separator)[1]])
            END AS names
     ORDER BY o.key`,
    { reading, separator: NAME_SOURCE_SEPARATOR, iati: IATI_SOURCE_PREFIX },
    { database, routing: 'READ' },
  );
  return records.map((r) => ({
    key: r.get('key') as string,
    iatiRef: r.get('iatiRef') as string | null,
    name: r.get('name') as string,
    names: r.get('names') as string[],
    stored: { kind: r.get('kind') as string, quote: r.get('quote') as string },
  }));
}

/** The keys of the programmes in the graph. */
export async function knownProgrammes(driver: Driver, database: string): Promise<Set<string>> {
  const { records } = await driver.executeQuery(
    'MATCH (p:Programme) RETURN p.key AS key',
    {},
    { database, routing: 'READ' },
  );
  return new Set(records.map((r) => r.get('key') as string));
}

/** The joins each source recorded at its last import (Source.merges). */
export async function recordedMerges(
  driver: Driver,
  database: string,
): Promise<Map<string, string[]>> {
  const { records } = await driver.executeQuery(
    'MATCH (s:Source) WHERE s.merges IS NOT NULL RETURN s.key AS key, s.merges AS merges',
    {},
    { database, routing: 'READ' },
  );
  return new Map(records.map((r) => [r.get('key') as string, r.get('merges') as string[]]));
}

/** What the last import of each Source recorded of its file and importer (IATI sources). */
export interface LastImport {
  complete: boolean;
  /** Where the file was read from (a path or a URL), as the user gave it. */
  file: string | null;
  fileSha256: string | null;
  importFingerprint: string | null;
}

export async function lastImports(
  driver: Driver,
  database: string,
  keys: readonly string[],
): Promise<Map<string, LastImport>> {
  const { records } = await driver.executeQuery(
    `MATCH (s:Source) WHERE s.key IN $keys
     RETURN s.key AS key, s.importStatus = 'COMPLETE' AS complete, s.file AS file,
            s.fileSha256 AS fileSha256, s.importFingerprint AS importFingerprint`,
    { keys },
    { database, routing: 'READ' },
  );
  return new Map(
    records.map((r) => [
      r.get('key') as string,
      {
        complete: r.get('complete') === true,
        file: r.get('file') as string | null,
        fileSha256: r.get('fileSha256') as string | null,
        importFingerprint: r.get('importFingerprint') as string | null,
      },
    ]),
  );
}
