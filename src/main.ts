/**
 * `npm start`: the main job. Starts the local Neo4j when no NEO4J_URI is configured, imports
 * the seed into an empty graph, then serves the GraphQL API until SIGINT/SIGTERM.
 */
import { loadConfig } from './config/index.js';
import { exitOnError } from './errors/expected.js';
import { apiDriverOptions, createDriver } from './store/driver.js';
import { startLocalNeo4j } from './store/local/local-neo4j.js';
import { logger } from './logging/logger.js';
import { prepareApi } from './bootstrap/prepare.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = logger();
  if (config.neo4j.local) {
    const { status, alreadyRunning } = await startLocalNeo4j(
      config.neo4j.local,
      config.neo4j,
      (line) => log.info(line),
    );
    log.info(
      { uri: status.uri, neo4j: status.neo4jVersion, apoc: status.apocVersion, alreadyRunning },
      'local Neo4j ready',
    );
  }
  const driver = createDriver(config.neo4j, apiDriverOptions(config.limits));
  const { httpServer, apollo } = await prepareApi(config, driver, log);
  await new Promise<void>((resolve) =>
    httpServer.listen(config.http.port, config.http.host, resolve),
  );
  const url = `http://${config.http.host}:${config.http.port}`;
  log.info(`GraphQL API on ${url}/graphql, playground on ${url}/`);

  const shutdown = async (signal: string) => {
    log.info({ signal }, 'shutting down: draining requests');
    await apollo.stop();
    await driver.close();
    log.info('stopped');
    process.exit(0);
  };
  process.once('SIGINT', (s) => void shutdown(s));
  process.once('SIGTERM', (s) => void shutdown(s));
}

main().catch(exitOnError((error) => logger().fatal({ err: error }, 'start-up failed')));
