import neo4j, { type Driver } from 'neo4j-driver';
import type { Config } from '../config/index.js';

/** The process's Neo4j driver. One per process; close it on shutdown. */
export function createDriver(cfg: Config['neo4j']): Driver {
  return neo4j.driver(cfg.uri, neo4j.auth.basic(cfg.username, cfg.password), {
    maxConnectionPoolSize: 50,
    connectionAcquisitionTimeout: 10_000,
    connectionTimeout: 5_000,
    // Fail fast when Neo4j is down (the API answers 503) rather than retrying for 30 s.
    maxTransactionRetryTime: 2_000,
    // Integers come back as JS numbers where safe; counts and years here are small.
    disableLosslessIntegers: true,
    userAgent: 'funding-graph',
  });
}
