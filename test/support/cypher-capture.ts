/**
 * The Cypher the API sends, made visible for review: a driver that records every statement
 * (and its parameters) while running it on the real database — what @neo4j/graphql translates
 * an operation into, and what the analyst repository sends — and, for operations the library
 * translates alone, the same statements captured without any database (translate).
 */
import { createRequire } from 'node:module';
import { Kind, parse, type graphql, type GraphQLSchema } from 'graphql';
import {
  isInt,
  Record as Neo4jRecord,
  type Driver,
  type ManagedTransaction,
  type Session,
} from 'neo4j-driver';
import { fieldsAnsweredByAnalyst } from '../../src/api/analyst/resolvers.js';
import { GRAPH_VERSION_READ } from '../../src/store/graph-version.js';

export interface CapturedStatement {
  cypher: string;
  params: Record<string, unknown>;
}

type Work<T> = (tx: ManagedTransaction) => Promise<T> | T;

function capturingTransaction(
  tx: ManagedTransaction,
  log: CapturedStatement[],
): ManagedTransaction {
  return new Proxy(tx, {
    get(target, prop, receiver) {
      if (prop === 'run') {
        return (cypher: string, params?: Record<string, unknown>) => {
          log.push({ cypher, params: params ?? {} });
          return target.run(cypher, params);
        };
      }
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
}

function capturingSession(session: Session, log: CapturedStatement[]): Session {
  return new Proxy(session, {
    get(target, prop, receiver) {
      if (prop === 'executeRead' || prop === 'executeWrite') {
        return <T>(work: Work<T>, config?: unknown) =>
          target[prop]((tx) => work(capturingTransaction(tx, log)), config as never);
      }
      if (prop === 'run') {
        // An auto-commit statement (src/store/auto-commit.ts); not the graph's version, which
        // every request reads whatever it asks.
        return (
          cypher: string,
          params?: Record<string, unknown>,
          config?: { metadata?: Record<string, unknown> },
        ) => {
          if (config?.metadata?.query !== GRAPH_VERSION_READ) {
            log.push({ cypher, params: params ?? {} });
          }
          return target.run(cypher, params, config);
        };
      }
      const value = Reflect.get(target, prop, receiver) as unknown;
      return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
    },
  });
}

export function capturingDriver(driver: Driver, log: CapturedStatement[]): Driver {
  return new Proxy(driver, {
    get(target, prop, receiver) {
      if (prop === 'session') {
        return (...args: Parameters<Driver['session']>) =>
          capturingSession(target.session(...args), log);
      }
      const value = Reflect.get(target, prop, receiver) as unknown;
      return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
    },
  });
}

/** The statements as a reviewable text: each Cypher statement, then its parameters as JSON. */
export function formatStatements(statements: readonly CapturedStatement[]): string {
  return statements
    .map(
      (s, i) =>
        `// statement ${i + 1} of ${statements.length}\n${s.cypher.trim()}\n\n// parameters\n${JSON.stringify(s.params, replacer, 2)}\n`,
    )
    .join('\n');
}

/** neo4j-driver Integers print as numbers. */
function replacer(_key: string, value: unknown): unknown {
  return isInt(value) ? value.toNumber() : value;
}

/** The analyst's fields that no saved question asks, each once. */
export const ANALYST_QUERIES: Record<string, string> = {
  'analyst-home': '{ home { key name } }',
  'analyst-partners-of-by-name':
    '{ partners(of: "Plan International Nederland", limit: 5, offset: 1) { organisation { key } programme { key } } }',
  'analyst-country-by-source-spelling': '{ country(name: "Filippijnen") { code nameEn } }',
  'analyst-programmes-in-country': '{ programmesInCountry(country: "Ethiopië") { key name } }',
  'analyst-programmes-active-in': '{ programmesActiveIn(year: 2019) { key name } }',
  'analyst-shared-partners':
    '{ sharedPartners(minProgrammes: 2) { organisation { key } programmes { key } } }',
  'analyst-work-places': '{ workPlaces(of: "Terre des Hommes") { country { code } stated } }',
  'analyst-organisations-named': '{ organisationsNamed(name: "terre des hommes") { key } }',
  'analyst-funds-named': '{ fundsNamed(name: "Fonds Bestrijding Kinderarbeid") { key } }',
};

/**
 * True when every root field of the document's operation is @neo4j/graphql's translation
 * alone: its statements then do not depend on what the database answers, and translate()
 * captures them without one. The analyst's fields look names up first and go on from what
 * they find, so their statements are captured on the real database.
 */
export function translatedByLibraryAlone(document: string): boolean {
  const analyst = fieldsAnsweredByAnalyst();
  return parse(document).definitions.every(
    (d) =>
      d.kind !== Kind.OPERATION_DEFINITION ||
      d.selectionSet.selections.every((s) => s.kind === Kind.FIELD && !analyst.has(s.name.value)),
  );
}

/**
 * graphql-js as @neo4j/graphql (a CommonJS package) loads it: a test file's own `import` may
 * get the ES module build, a second copy whose `graphql()` refuses the library's schema.
 */
const graphqlOfTheLibrary = () =>
  (createRequire(import.meta.url)('graphql') as { graphql: typeof graphql }).graphql;

/**
 * What @neo4j/graphql sends for `document`, captured without a database, as the library's own
 * test kit does: the operation runs on the executable schema with a transaction that records
 * every statement and answers none (only the library's check of the Neo4j version gets the
 * version the project runs). The context is the API's (src/api/app.ts, contextOf) for a caller
 * without a token.
 */
export async function translate(
  schema: GraphQLSchema,
  document: string,
  variables: Record<string, unknown> | undefined,
  { homeKey, maxPageSize }: { homeKey: string; maxPageSize: number },
): Promise<CapturedStatement[]> {
  const log: CapturedStatement[] = [];
  // What the library reads of a result: its records and the update counters.
  const answer = (records: Neo4jRecord[]) =>
    Promise.resolve({ records, summary: { counters: { updates: () => ({}) } } });
  const recording = {
    run: (cypher: string, params: Record<string, unknown>) => {
      if (/CALL dbms\.components\(\)/.test(cypher)) {
        return answer([new Neo4jRecord(['version', 'edition'], ['5.26.19', 'community'])]);
      }
      log.push({ cypher, params });
      return answer([]);
    },
  };
  const result = await graphqlOfTheLibrary()({
    schema,
    source: document,
    variableValues: variables ?? null,
    contextValue: {
      executionContext: recording,
      cypherParams: { homeKey },
      homeKey,
      roles: [],
      maxPageSize,
      transaction: { timeout: 5_000, metadata: {} },
      requestLog: {},
    },
  });
  if (result.errors?.length) {
    throw new Error(`translating failed: ${result.errors.map((e) => e.message).join('; ')}`);
  }
  return log;
}
