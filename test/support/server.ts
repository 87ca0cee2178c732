/**
 * The real API on an ephemeral port of 127.0.0.1, against the tests' Neo4j, seeded with the
 * page. Built by the same prepareApi as src/main.ts.
 */
import type { AddressInfo } from 'node:net';
import type { Driver } from 'neo4j-driver';
import { pino, type Logger } from 'pino';
import { loadConfig, parseConfig, type Config } from '../../src/config/index.js';
import { apiDriverOptions, createDriver } from '../../src/store/driver.js';
import { defaultSeedFiles, seed } from '../../src/ingest/ingest.js';
import { prepareApi } from '../../src/bootstrap/prepare.js';
import { capturingDriver, type CapturedStatement } from './cypher-capture.js';
import { resetDatabase } from './neo4j.js';

export interface TestServer {
  url: string;
  config: Config;
  driver: Driver;
  close(): Promise<void>;
}

/** Config of the tests plus `overrides` (environment variable names and values). */
export function testConfig(overrides: Record<string, string> = {}): Config {
  const base = loadConfig();
  const config = parseConfig({ ...overrides, NODE_ENV: 'test' });
  // The tests' database, whatever the overrides say about the rest.
  return { ...config, neo4j: base.neo4j };
}

export async function startTestServer(
  options: {
    overrides?: Record<string, string>;
    reseed?: boolean;
    driver?: Driver;
    log?: Logger;
  } = {},
): Promise<TestServer> {
  const config = testConfig(options.overrides);
  const driver = options.driver ?? createDriver(config.neo4j, apiDriverOptions(config.limits));
  const { database } = config.neo4j;
  if (options.reseed ?? true) {
    await resetDatabase(driver);
    await seed(driver, database, defaultSeedFiles());
  }
  const log = options.log ?? pino({ level: 'silent' });
  const { httpServer, apollo, moneyTotalsSettled } = await prepareApi(config, driver, log).catch(
    async (error: unknown) => {
      if (!options.driver) await driver.close();
      throw error;
    },
  );
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  // The start-up's sum of the money totals runs in the background: settled before a test
  // begins, so that it neither races the test's own writes nor shows in a captured log.
  await moneyTotalsSettled();
  const { port } = httpServer.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    config,
    driver,
    async close() {
      await apollo.stop();
      if (!options.driver) await driver.close();
    },
  };
}

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: {
    data?: T | null;
    errors?: {
      message: string;
      path?: (string | number)[];
      extensions?: Record<string, unknown>;
    }[];
  };
}

/** POSTs an operation to /graphql, as a dashboard would. */
export async function gql<T = Record<string, unknown>>(
  server: Pick<TestServer, 'url'>,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<T>> {
  const res = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return {
    status: res.status,
    headers: res.headers,
    body: (await res.json()) as GraphQLResponse<T>['body'],
  };
}

/**
 * The test server on a driver that records every statement it sends (support/cypher-capture):
 * `log` holds them; empty it before the request whose statements you want.
 */
export async function startCapturingServer(): Promise<{
  server: TestServer;
  log: CapturedStatement[];
  driver: Driver;
  close(): Promise<void>;
}> {
  const log: CapturedStatement[] = [];
  const driver = createDriver(loadConfig().neo4j);
  const server = await startTestServer({ driver: capturingDriver(driver, log) });
  return {
    server,
    log,
    driver,
    async close() {
      await server.close();
      await driver.close();
    },
  };
}
