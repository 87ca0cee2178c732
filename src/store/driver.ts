import neo4j, { type Driver } from 'neo4j-driver';
import type { Config } from '../config/index.js';

export interface DriverOptions {
  /** How long a caller waits for a pooled connection (the API: far below its request timeout). */
  acquisitionTimeoutMs?: number;
  /** How long the driver retries a transaction after a transient error. */
  retryTimeMs?: number;
}

/** The process's Neo4j driver. One per process; close it on shutdown. */
export function createDriver(cfg: Config['neo4j'], options: DriverOptions = {}): Driver {
  return neo4j.driver(cfg.uri, neo4j.auth.basic(cfg.username, cfg.password), {
    maxConnectionPoolSize: 50,
    connectionAcquisitionTimeout: options.acquisitionTimeoutMs ?? 10_000,
    connectionTimeout: 5_000,
    // Fail fast when Neo4j is down (the API answers 503) rather than retrying for 30 s.
    maxTransactionRetryTime: options.retryTimeMs ?? 2_000,
    // Integers come back as JS numbers where safe; counts and years here are small.
    disableLosslessIntegers: true,
    userAgent: 'funding-graph',
  });
}

/**
 * The API's driver options: a request waits at most `acquisitionTimeoutMs` for a connection
 * (then 503), and a read is never retried — a retried timed-out query would run twice as long
 * as the timeout says; the client decides whether to ask again.
 */
export const apiDriverOptions = (limits: Config['limits']): DriverOptions => ({
  acquisitionTimeoutMs: limits.acquisitionTimeoutMs,
  retryTimeMs: 0,
});
