/**
 * Two organisation nodes that turn out to be one organisation become one node: the survivor
 * keeps its key and gains the other's names, sources, IATI ref (when it had none) and every
 * relationship; what each source stated about the absorbed key is moved to the survivor, so a
 * re-import of that source finds its statement where it left it. Each merge is recorded
 * (MERGE_LABEL: from, into, why, when), so that whoever still holds the absorbed key — the home
 * organisation, a dashboard's bookmark — can follow it to the survivor.
 */
import type { Driver } from 'neo4j-driver';
import { MERGE_LABEL, nameKeys, STATEMENT_LABEL } from '../model/index.js';
import { bumpGraphVersionIn } from './graph-version.js';

export interface OrganisationMergeResult {
  from: string;
  into: string;
  relationshipsMoved: number;
}

/**
 * Merges organisation `from` into `into`, in one transaction; `why` is the evidence, recorded
 * with the merge. Fails when either is missing or both are the same.
 */
export async function mergeOrganisations(
  driver: Driver,
  database: string,
  from: string,
  into: string,
  why: string,
): Promise<OrganisationMergeResult> {
  if (from === into) throw new Error(`invariant: cannot merge organisation ${from} into itself`);
  const session = driver.session({ database });
  try {
    return await session.executeWrite(async (tx) => {
      const { records } = await tx.run(
        `MATCH (a:Organisation {key: $from}), (b:Organisation {key: $into})
         RETURN a.name AS name, a.nameEn AS nameEn, a.aliases AS aliases,
                b.name AS intoName, b.aliases AS intoAliases, b.nameEn AS intoNameEn,
                COUNT { (a)--() } AS relationships`,
        { from, into },
      );
      const r = records[0];
      if (!r) throw new Error(`cannot merge ${from} into ${into}: both must be organisations`);
      const names = (...xs: unknown[]) =>
        xs.flat().filter((x): x is string => typeof x === 'string' && x !== '');
      const intoNames = new Set(names(r.get('intoName'), r.get('intoNameEn')));
      const aliases = [
        ...new Set(names(r.get('intoAliases'), r.get('name'), r.get('nameEn'), r.get('aliases'))),
      ].filter((n) => !intoNames.has(n));
      await tx.run(
        `MATCH (a:Organisation {key: $from}), (b:Organisation {key: $into})
         SET b.aliases = $aliases,
             b.nameKeys = $nameKeys,
             b.sources = apoc.coll.sort(apoc.coll.toSet(coalesce(b.sources, []) + coalesce(a.sources, []))),
             b.iatiRef = coalesce(b.iatiRef, a.iatiRef),
             b.namesBySource = CASE WHEN b.namesBySource IS NULL AND a.namesBySource IS NULL THEN null
               ELSE apoc.coll.sort(apoc.coll.toSet(coalesce(b.namesBySource, []) + coalesce(a.namesBySource, []))) END
         WITH a, b
         CALL apoc.refactor.mergeNodes([b, a], {properties: 'discard', mergeRels: false})
         YIELD node
         RETURN node.key AS key`,
        { from, into, aliases, nameKeys: nameKeys([...intoNames, ...aliases]) },
      );
      // What sources stated about the absorbed node, they now state about the survivor.
      await tx.run(
        `MATCH (st:${STATEMENT_LABEL}) WHERE $old IN st.nodes
         SET st.nodes = apoc.coll.toSet([n IN st.nodes | CASE n WHEN $old THEN $new ELSE n END])`,
        { old: `Organisation|${from}`, new: `Organisation|${into}` },
      );
      await tx.run('MATCH (s:Source {publisher: $from}) SET s.publisher = $into', {
        from,
        into,
      });
      await tx.run(
        `CREATE (:${MERGE_LABEL} {from: $from, into: $into, why: $why, at: datetime()})`,
        { from, into, why },
      );
      await bumpGraphVersionIn(tx);
      return { from, into, relationshipsMoved: Number(r.get('relationships')) };
    });
  } finally {
    await session.close();
  }
}
