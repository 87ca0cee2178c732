/**
 * Constraints and indexes the graph relies on, derived from the model: a uniqueness constraint
 * on every label's key, a range index on every relationship type's fact id (the writer MERGEs
 * and removes by it), range indexes the analyst's lookups and filters use, the full-text index
 * over names and the exact index over normalised names (`nameKeys`). Created idempotently (IF NOT EXISTS)
 * by the writer before it writes and at start-up, then checked: start-up fails, listing what is
 * missing, when the database does not hold them.
 */
import type { Driver } from 'neo4j-driver';
import {
  KEY_PROPERTY,
  MERGE_LABEL,
  MONEY_ROLLUP_LABEL,
  NODE_LABELS,
  RELATIONSHIP_TYPES,
  SETTING_LABEL,
  STATEMENT_LABEL,
} from '../model/index.js';
import { boundedName, MAX_NAME } from '../model/names.js';

/** Name of the full-text index over names and aliases (case- and accent-insensitive). */
export const NAME_SEARCH_INDEX = 'nameSearch';
const NAME_SEARCH_LABELS = ['Organisation', 'Programme', 'Fund'];
const NAME_SEARCH_PROPERTIES = ['name', 'nameEn', 'aliases'];

/**
 * Name of the index over the normalised names (`nameKeys`, model/names.ts) of every node that
 * has them: a full-text index with the keyword analyzer, so each normalised name is one exact
 * term and a lookup by name is an index seek (range indexes cannot index list elements).
 */
export const NAME_KEY_INDEX = 'nameKeys';
const NAME_KEY_LABELS = ['Organisation', 'Programme', 'Fund', 'Country'];

/** The query NAME_KEY_INDEX answers for exactly the normalised name `nameKey` (letters, digits). */
export const nameKeyQuery = (nameKey: string) => `"${nameKey.replace(/["\\]/g, '\\$&')}"`;

/** Labels whose lists sort by name: each has a range index on `name`. */
export const NAME_SORT_LABELS = ['Organisation', 'Programme', 'Fund'] as const;

const snake = (name: string) => name.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();

/** One expected schema element: what SHOW CONSTRAINTS / SHOW INDEXES must list, and how to create it. */
interface Expected {
  describe: string;
  kind: 'constraint' | 'index';
  /** SHOW's `type` (a constraint's type contains it, e.g. NODE_PROPERTY_UNIQUENESS). */
  type: string;
  labelsOrTypes: string[];
  properties: string[];
  create: string;
}

// Labels, types and property names come from the model, never from input.
export const EXPECTED_SCHEMA: readonly Expected[] = [
  ...NODE_LABELS.map((label) => ({
    describe: `unique ${label}.${KEY_PROPERTY[label]}`,
    kind: 'constraint' as const,
    type: 'UNIQUENESS',
    labelsOrTypes: [label],
    properties: [KEY_PROPERTY[label]],
    create: `CREATE CONSTRAINT ${snake(label)}_${KEY_PROPERTY[label]} IF NOT EXISTS FOR (n:${label}) REQUIRE n.${KEY_PROPERTY[label]} IS UNIQUE`,
  })),
  {
    describe: 'index on Organisation.kind',
    kind: 'index',
    type: 'RANGE',
    labelsOrTypes: ['Organisation'],
    properties: ['kind'],
    create: 'CREATE INDEX organisation_kind IF NOT EXISTS FOR (n:Organisation) ON (n.kind)',
  },
  // The analyst's lookup by IATI ref, the generated filters on periods, and the names that
  // whole-graph lists sort by (read in index order; names are bounded, model/names.ts).
  ...(
    [
      ['Organisation', 'iatiRef'],
      ...NAME_SORT_LABELS.map((label) => [label, 'name'] as const),
      ['Programme', 'startYear'],
      ['Programme', 'endYear'],
      ['Transaction', 'year'],
    ] as const
  ).map(([label, property]) => ({
    describe: `index on ${label}.${property}`,
    kind: 'index' as const,
    type: 'RANGE',
    labelsOrTypes: [label],
    properties: [property],
    create: `CREATE INDEX ${snake(label)}_${snake(property)} IF NOT EXISTS FOR (n:${label}) ON (n.${property})`,
  })),
  {
    describe: `index on ${STATEMENT_LABEL}.source`,
    kind: 'index',
    type: 'RANGE',
    labelsOrTypes: [STATEMENT_LABEL],
    properties: ['source'],
    create: `CREATE INDEX source_statement_source IF NOT EXISTS FOR (n:${STATEMENT_LABEL}) ON (n.source)`,
  },
  {
    describe: `unique ${SETTING_LABEL}.name`,
    kind: 'constraint',
    type: 'UNIQUENESS',
    labelsOrTypes: [SETTING_LABEL],
    properties: ['name'],
    create: `CREATE CONSTRAINT setting_name IF NOT EXISTS FOR (n:${SETTING_LABEL}) REQUIRE n.name IS UNIQUE`,
  },
  {
    describe: `index on ${MERGE_LABEL}.from`,
    kind: 'index',
    type: 'RANGE',
    labelsOrTypes: [MERGE_LABEL],
    properties: ['from'],
    create: `CREATE INDEX organisation_merge_from IF NOT EXISTS FOR (n:${MERGE_LABEL}) ON (n.from)`,
  },
  {
    describe: `index on ${MONEY_ROLLUP_LABEL}.rollup and version`,
    kind: 'index',
    type: 'RANGE',
    labelsOrTypes: [MONEY_ROLLUP_LABEL],
    properties: ['rollup', 'version'],
    create: `CREATE INDEX money_rollup_set IF NOT EXISTS FOR (n:${MONEY_ROLLUP_LABEL}) ON (n.rollup, n.version)`,
  },
  {
    // One country's cells of a set, without reading the set's others (a set per country and
    // funder holds hundreds of thousands on the large benchmark graph).
    describe: `index on ${MONEY_ROLLUP_LABEL}.rollup, version and country`,
    kind: 'index',
    type: 'RANGE',
    labelsOrTypes: [MONEY_ROLLUP_LABEL],
    properties: ['rollup', 'version', 'country'],
    create: `CREATE INDEX money_rollup_country IF NOT EXISTS FOR (n:${MONEY_ROLLUP_LABEL}) ON (n.rollup, n.version, n.country)`,
  },
  ...RELATIONSHIP_TYPES.map((type) => ({
    describe: `index on ${type}.fid`,
    kind: 'index' as const,
    type: 'RANGE',
    labelsOrTypes: [type],
    properties: ['fid'],
    create: `CREATE INDEX ${snake(type)}_fid IF NOT EXISTS FOR ()-[r:${type}]-() ON (r.fid)`,
  })),
  {
    describe: `full-text index ${NAME_SEARCH_INDEX}`,
    kind: 'index',
    type: 'FULLTEXT',
    labelsOrTypes: NAME_SEARCH_LABELS,
    properties: NAME_SEARCH_PROPERTIES,
    // standard-folding: Lucene's ASCII folding, so "Ethiopie" finds "Ethiopië".
    create: `CREATE FULLTEXT INDEX ${NAME_SEARCH_INDEX} IF NOT EXISTS
     FOR (n:${NAME_SEARCH_LABELS.join('|')}) ON EACH [${NAME_SEARCH_PROPERTIES.map((p) => `n.${p}`).join(', ')}]
     OPTIONS { indexConfig: { \`fulltext.analyzer\`: 'standard-folding', \`fulltext.eventually_consistent\`: false } }`,
  },
  {
    describe: `exact index ${NAME_KEY_INDEX}`,
    kind: 'index',
    type: 'FULLTEXT',
    labelsOrTypes: NAME_KEY_LABELS,
    properties: ['nameKeys'],
    create: `CREATE FULLTEXT INDEX ${NAME_KEY_INDEX} IF NOT EXISTS
     FOR (n:${NAME_KEY_LABELS.join('|')}) ON EACH [n.nameKeys]
     OPTIONS { indexConfig: { \`fulltext.analyzer\`: 'keyword', \`fulltext.eventually_consistent\`: false } }`,
  },
];

export async function ensureSchema(driver: Driver, database: string): Promise<void> {
  await boundStoredNames(driver, database);
  for (const expected of EXPECTED_SCHEMA) {
    await driver.executeQuery(expected.create, {}, { database });
  }
  // A new index on a large graph populates for a while (nameKeys on 850,000 nodes: about a minute).
  await driver.executeQuery('CALL db.awaitIndexes(600)', {}, { database });
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x) => b.includes(x));

/** What the database lacks of EXPECTED_SCHEMA (empty when all is there and online). */
export async function missingSchema(driver: Driver, database: string): Promise<string[]> {
  const constraints = await driver.executeQuery(
    'SHOW CONSTRAINTS YIELD type, labelsOrTypes, properties RETURN type, labelsOrTypes, properties',
    {},
    { database },
  );
  const indexes = await driver.executeQuery(
    'SHOW INDEXES YIELD type, labelsOrTypes, properties, state RETURN type, labelsOrTypes, properties, state',
    {},
    { database },
  );
  const rows = (kind: Expected['kind']) =>
    (kind === 'constraint' ? constraints : indexes).records.map((r) => ({
      type: String(r.get('type')),
      labelsOrTypes: (r.get('labelsOrTypes') as string[] | null) ?? [],
      properties: (r.get('properties') as string[] | null) ?? [],
      state: kind === 'index' ? String(r.get('state')) : 'ONLINE',
    }));
  return EXPECTED_SCHEMA.flatMap((expected) => {
    const found = rows(expected.kind).find(
      (row) =>
        row.type.includes(expected.type) &&
        sameSet(row.labelsOrTypes, expected.labelsOrTypes) &&
        sameSet(row.properties, expected.properties),
    );
    if (!found) return [`missing: ${expected.describe}`];
    return found.state === 'ONLINE' ? [] : [`${expected.describe} is ${found.state}`];
  });
}

/**
 * Once, before the name indexes are created: names stored before names were bounded (a
 * paragraph typed into a name) are cut as the importer now cuts them, so that the index can hold
 * every one. The cut name stays findable whole as an alias. Does nothing when the indexes exist.
 */
async function boundStoredNames(driver: Driver, database: string): Promise<void> {
  const present = await driver.executeQuery(
    `SHOW INDEXES YIELD type, labelsOrTypes, properties
     WHERE type = 'RANGE' AND properties = ['name'] RETURN collect(labelsOrTypes[0]) AS labels`,
    {},
    { database },
  );
  const indexed = present.records[0]?.get('labels') as string[];
  for (const label of NAME_SORT_LABELS.filter((l) => !indexed.includes(l))) {
    const long = await driver.executeQuery(
      `MATCH (n:${label}) WHERE size(n.name) > $max RETURN elementId(n) AS id, n.name AS name`,
      { max: MAX_NAME },
      { database },
    );
    // size() counts UTF-16 units, the bound characters: a name can pass one and not the other.
    const rows = long.records
      .map((r) => ({
        id: r.get('id') as string,
        name: boundedName(r.get('name') as string),
        whole: r.get('name') as string,
      }))
      .filter((row) => row.name !== row.whole);
    if (rows.length === 0) continue;
    await driver.executeQuery(
      `UNWIND $rows AS row MATCH (n:${label}) WHERE elementId(n) = row.id
       SET n.name = row.name, n.aliases = coalesce(n.aliases, []) + row.whole`,
      { rows },
      { database },
    );
  }
}
