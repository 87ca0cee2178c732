/**
 * Finding what a question names: an organisation by key, IATI ref, or a name or alias in any
 * spelling (index seeks, never a scan), a country by a source's spelling, and the names closest
 * to one that matches nothing.
 */
import { normaliseName } from '../../model/index.js';
import { NAME_KEY_INDEX, nameKeyQuery } from '../schema-ops.js';
import { ORG } from './fragments.js';

/**
 * The organisations a key, an IATI ref, or a name or alias in any spelling, may mean: three
 * index seeks (key constraint, iatiRef index, NAME_KEY_INDEX), never a scan.
 */
export const FIND_ORGANISATION = `
  CALL () {
    MATCH (o:Organisation {key: $ref}) RETURN o
    UNION
    MATCH (o:Organisation {iatiRef: $ref}) RETURN o
    UNION
    WITH $nameKey AS nameKey WHERE nameKey <> ''
    CALL db.index.fulltext.queryNodes($nameKeyIndex, $nameKeyQuery) YIELD node AS o
    WITH o WHERE o:Organisation
    RETURN o
  }
  RETURN o { .key, .name } AS organisation ORDER BY o.key`;

export const ORGANISATION_BY_KEY = `MATCH (o:Organisation {key: $key}) RETURN o ${ORG} AS organisation`;

export const COUNTRY_BY_NAME_KEY = `
  CALL db.index.fulltext.queryNodes($nameKeyIndex, $nameKeyQuery) YIELD node AS c
  WITH c WHERE c:Country
  RETURN c.code AS code ORDER BY code`;

/**
 * Nodes of `$label` that a full-text query finds (at most `$hits`, the best first): for a name that
 * no node has exactly, the names that start with it or hold all its words, or the closest ones.
 */
export const NAME_HITS = `
  CALL db.index.fulltext.queryNodes($index, $query, { limit: 200 }) YIELD node, score
  WHERE $label IN labels(node)
  RETURN node { .key, .name } AS hit ORDER BY score DESC, hit.name, hit.key LIMIT $hits`;

/** The labels a name may be looked up under (never from input). */
export type NamedLabel = 'Organisation' | 'Programme' | 'Fund';

/** Parameters that find `name` through NAME_KEY_INDEX. */
export const byNameKey = (name: string) => {
  const nameKey = normaliseName(name);
  return { nameKey, nameKeyIndex: NAME_KEY_INDEX, nameKeyQuery: nameKeyQuery(nameKey) };
};
