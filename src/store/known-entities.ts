/** What a source reader needs to know of the graph before it writes: to resolve, and to link. */
import type { Driver } from 'neo4j-driver';

/** An organisation as the graph knows it, for resolving the names a source gives. */
export interface KnownOrganisation {
  key: string;
  iatiRef?: string | null;
  name: string;
  names: readonly string[];
  /** What the graph says of it already (absent for an organisation new in this import). */
  stored?: { kind: string; quote: string };
}

/** Every organisation with its ref and every name it is known by. */
export async function knownOrganisations(
  driver: Driver,
  database: string,
): Promise<KnownOrganisation[]> {
  const { records } = await driver.executeQuery(
    `MATCH (o:Organisation)
     RETURN o.key AS key, o.iatiRef AS iatiRef, o.name AS name, o.kind AS kind, o.quote AS quote,
            [n IN [o.nameEn] + coalesce(o.aliases, []) WHERE n IS NOT NULL] AS names
     ORDER BY o.key`,
    {},
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
