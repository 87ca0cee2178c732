/**
 * Starts (or reuses) the tests' Neo4j before any test file runs, and stops it afterwards if
 * this run started it. A database that cannot start fails the run: tests are never skipped.
 */
import { loadConfig } from '../src/config/index.js';
import { startLocalNeo4j, stopLocalNeo4j } from '../src/store/local/local-neo4j.js';

export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  const { neo4j } = loadConfig();
  if (!neo4j.local) return undefined;
  const local = neo4j.local;
  const report = (line: string) => process.stdout.write(`[test neo4j] ${line}\n`);
  const { alreadyRunning, status, startMs } = await startLocalNeo4j(local, neo4j, report);
  report(
    `${alreadyRunning ? 'reusing' : `started in ${(startMs / 1000).toFixed(1)} s:`} Neo4j ${status.neo4jVersion} ${status.edition}, APOC ${status.apocVersion}, on ${status.uri}`,
  );
  if (alreadyRunning) return undefined;
  return async () => {
    await stopLocalNeo4j(local);
    report('stopped');
  };
}
