/**
 * store/auto-commit.ts on the real Neo4j: a statement run alone as an auto-commit read keeps
 * what a transaction function gave it — its answer, its timeout, its metadata, read access —
 * and costs one socket write instead of three.
 */
import net from 'node:net';
import type { Driver } from 'neo4j-driver';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { classify } from '../../src/errors/classify.js';
import { ErrorCode } from '../../src/errors/index.js';
import { autoCommitReader, readAutoCommit } from '../../src/store/auto-commit.js';
import { database, testDriver } from '../support/neo4j.js';

describe('auto-commit reads', () => {
  let driver: Driver;
  beforeAll(async () => {
    driver = testDriver();
    await driver.executeQuery(
      "UNWIND range(1, 3) AS i CREATE (:AutoCommitProbe {i: i, name: 'probe ' + i})",
      {},
      { database: database() },
    );
  });
  afterAll(async () => {
    await driver.executeQuery('MATCH (n:AutoCommitProbe) DELETE n', {}, { database: database() });
    await driver.close();
  });

  it('answers with the records and the summary a transaction gives', async () => {
    const runner = autoCommitReader(driver, database(), { timeout: 5_000 });
    const result = await runner.run<{ name: string }>(
      'MATCH (n:AutoCommitProbe) WHERE n.i >= $from RETURN n.name AS name ORDER BY n.i',
      { from: 2 },
    );
    expect(result.records.map((r) => r.get('name'))).toEqual(['probe 2', 'probe 3']);
    expect(result.summary.counters.updates().nodesCreated).toBe(0);
    expect(result.summary.queryType).toBe('r');
  });

  it('is refused a write: it runs with read access', async () => {
    const write = readAutoCommit(driver, database(), 'CREATE (:AutoCommitProbe {i: 99})', {}, {});
    await expect(write).rejects.toThrow(/read/i);
    const { records } = await driver.executeQuery(
      'MATCH (n:AutoCommitProbe {i: 99}) RETURN count(n) AS n',
      {},
      { database: database() },
    );
    expect(records[0]?.get('n')).toBe(0);
  });

  it('is ended by Neo4j at its timeout, an error the API calls TIMEOUT', async () => {
    const started = Date.now();
    const slow = readAutoCommit(
      driver,
      database(),
      'CALL apoc.util.sleep(20000) RETURN 1',
      {},
      {
        timeout: 500,
      },
    );
    const error = await slow.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(classify({ message: (error as Error).message }, error)?.code).toBe(ErrorCode.TIMEOUT);
  });

  it("shows its metadata in Neo4j's transaction list while it runs", async () => {
    const metadata = { app: 'funding-graph', query: 'auto-commit probe' };
    const slow = readAutoCommit(
      driver,
      database(),
      'CALL apoc.util.sleep(1500) RETURN 1',
      {},
      {
        timeout: 10_000,
        metadata,
      },
    );
    let seen: unknown;
    for (let i = 0; i < 50 && seen === undefined; i++) {
      const { records } = await driver.executeQuery(
        "SHOW TRANSACTIONS YIELD metaData, currentQuery WHERE metaData.query = 'auto-commit probe' RETURN metaData",
        {},
        { database: database() },
      );
      seen = records[0]?.get('metaData');
      if (seen === undefined) await new Promise((r) => setTimeout(r, 50));
    }
    await slow;
    expect(seen).toEqual(metadata);
  });

  it('writes once to the socket where a transaction function writes three times', async () => {
    const writes = async (work: () => Promise<unknown>) => {
      await work(); // a pooled connection is open before counting
      const write = vi.spyOn(net.Socket.prototype, 'write');
      try {
        await work();
        return write.mock.calls.length;
      } finally {
        write.mockRestore();
      }
    };
    const query = 'MATCH (n:AutoCommitProbe) RETURN count(n) AS n';
    const autoCommit = await writes(() => readAutoCommit(driver, database(), query, {}, {}));
    const transaction = await writes(async () => {
      const session = driver.session({ database: database(), defaultAccessMode: 'READ' });
      try {
        await session.executeRead((tx) => tx.run(query));
      } finally {
        await session.close();
      }
    });
    expect(autoCommit).toBe(1);
    expect(transaction).toBe(3);
  });
});
