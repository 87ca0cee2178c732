/**
 * Programmes across sources. A programme a page describes and the IATI activity that reports
 * it are the same programme when they bear the same name (a name or alias of each, once
 * normalised: model/names.ts) and share at least one organisation (a funder, lead, participant,
 * manager or reporter). They are linked, not merged: an IATI activity keeps its identifier as
 * its key (its transactions and budgets carry it) and each side keeps its own source's facts.
 * Two IATI activities are never linked this way: different identifiers are different activities
 * (IATI links its own through related-activity and provider-activity-id).
 *
 * The link (SAME_PROGRAMME, basis DERIVED) is derived, not stated: it is worked out again for a
 * source's programmes each time the source is written, so whichever of the two is written
 * second links them, and a link whose evidence went goes. Its quote says what joined them.
 */
import type { ManagedTransaction } from 'neo4j-driver';
import { NAME_KEY_INDEX } from './schema-ops.js';

/** Links the programmes of `sources` to their counterparts in other sources; returns how many. */
export async function linkSamePrograms(
  tx: ManagedTransaction,
  sources: readonly string[],
): Promise<number> {
  await tx.run(
    `MATCH (p:Programme) WHERE any(s IN p.sources WHERE s IN $sources)
     MATCH (p)-[old:SAME_PROGRAMME]-()
     DELETE old`,
    { sources },
  );
  const result = await tx.run(
    `MATCH (p:Programme) WHERE any(s IN p.sources WHERE s IN $sources)
     UNWIND coalesce(p.nameKeys, []) AS k
     // The exact (keyword) index over normalised names, one key as one Lucene phrase.
     CALL db.index.fulltext.queryNodes($index, '"' + replace(replace(k, '\\\\', '\\\\\\\\'), '"', '\\\\"') + '"')
       YIELD node AS q
     WITH DISTINCT p, q, k
     WHERE q:Programme AND q <> p
       AND (p.iatiIdentifier IS NULL OR q.iatiIdentifier IS NULL)
       AND none(s IN q.sources WHERE s IN p.sources)
     WITH p, q, min(k) AS name
     MATCH (p)--(o:Organisation) WHERE EXISTS { (o)--(q) }
     WITH p, q, name, apoc.coll.sort(collect(DISTINCT o.name)) AS shared
     WITH CASE WHEN p.key < q.key THEN p ELSE q END AS a,
          CASE WHEN p.key < q.key THEN q ELSE p END AS b, shared
     MERGE (a)-[r:SAME_PROGRAMME]->(b)
     SET r.fid = 'SAME_PROGRAMME|' + a.key + '|' + b.key,
         r.basis = 'DERIVED',
         r.sources = apoc.coll.sort(apoc.coll.toSet(a.sources + b.sources)),
         r.source = apoc.coll.sort(apoc.coll.toSet(a.sources + b.sources))[0],
         r.quote = '"' + a.name + '" (' + a.key + ') and "' + b.name + '" (' + b.key +
                   '): the same name, and ' + apoc.text.join(shared[..3], ', ') +
                   CASE WHEN size(shared) > 3 THEN ' and ' + (size(shared) - 3) + ' more' ELSE '' END +
                   ' in both'
     RETURN count(r) AS links`,
    { sources, index: NAME_KEY_INDEX },
  );
  return Number(result.records[0]?.get('links') ?? 0);
}
