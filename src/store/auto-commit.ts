/**
 * Reads of one statement, run as auto-commit queries: one socket write to Neo4j (RUN and PULL
 * together) and one answer. A transaction function writes three times (BEGIN, RUN + PULL,
 * COMMIT) and waits for two answers: on this project's machines that took 1.3–2× as long for
 * a one-row read, and the API pays it on every request (the graph's version) and again for
 * each statement of the answer (BENCHMARKS.md, "The fixed cost of our layer").
 *
 * A statement run this way is still one transaction of its own, with the timeout and metadata
 * it is given; nothing here is retried (the API does not retry reads). Writes, and statements
 * that must commit together, belong in a transaction.
 */
import type { Driver, QueryResult, RecordShape } from 'neo4j-driver';

/** How a statement is run: its timeout (ms) and what Neo4j's transaction list shows of it. */
export interface StatementConfig {
  timeout?: number;
  metadata?: Record<string, unknown>;
}

/** What runs one read statement: the shape of a transaction's `run`, awaited. */
export interface StatementRunner {
  run<R extends RecordShape = RecordShape>(
    query: string,
    parameters?: object,
  ): Promise<QueryResult<R>>;
}

/** Runs `query` alone as an auto-commit read on `database`. */
export async function readAutoCommit<R extends RecordShape = RecordShape>(
  driver: Driver,
  database: string,
  query: string,
  parameters: object,
  config: StatementConfig,
): Promise<QueryResult<R>> {
  const session = driver.session({ database, defaultAccessMode: 'READ' });
  try {
    return await session.run<R>(query, parameters, config);
  } finally {
    await session.close();
  }
}

/** A runner whose every statement is an auto-commit read with `config`. */
export const autoCommitReader = (
  driver: Driver,
  database: string,
  config: StatementConfig,
): StatementRunner => ({
  run: (query, parameters = {}) => readAutoCommit(driver, database, query, parameters, config),
});
