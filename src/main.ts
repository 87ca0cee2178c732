/**
 * `npm start`: the main job. Starts the local Neo4j when no NEO4J_URI is configured, then
 * serves the GraphQL API until SIGINT/SIGTERM.
 */
import { ConfigError, loadConfig } from './config/index.js';
import { createDriver } from './db/driver.js';
import { ensureSchema } from './db/schema-ops.js';
import { LocalNeo4jError } from './db/local/errors.js';
import { startLocalNeo4j } from './db/local/local-neo4j.js';
import { SeedValidationError } from './seed/problems.js';
import { AnalystService } from './graphql/analyst/analyst-service.js';
import { buildSchema } from './graphql/schema.js';
import { logger } from './logging/logger.js';
import { defaultSeedFiles, isGraphEmpty, seed } from './seed/seed.js';
import { createApp } from './server/app.js';

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
  const driver = createDriver(config.neo4j);
  const { database } = config.neo4j;
  const { neoSchema, schema } = await buildSchema(driver, config.auth.jwtSecret);
  await neoSchema.checkNeo4jCompat({ driver, sessionConfig: { database } });
  await ensureSchema(driver, database);
  await neoSchema.assertIndexesAndConstraints({ driver, sessionConfig: { database } });
  if (await isGraphEmpty(driver, database)) {
    log.info('the graph is empty: importing the seed data');
    const { summary } = await seed(driver, database, defaultSeedFiles(), (line) => log.info(line));
    log.info(summary, 'seed data imported');
  }
  const analyst = new AnalystService(driver, database);
  const homeKey = config.homeOrganisation ?? (await analyst.defaultHomeKey());
  if (!homeKey)
    throw new Error('No home organisation: set HOME_ORGANISATION or import a source first.');
  log.info({ homeKey }, 'home organisation');
  const { httpServer, apollo } = await createApp({ config, driver, schema, analyst, homeKey, log });
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

main().catch((error: unknown) => {
  if (
    error instanceof ConfigError ||
    error instanceof LocalNeo4jError ||
    error instanceof SeedValidationError
  ) {
    process.stderr.write(`${error.message}\n`);
  } else {
    logger().fatal({ err: error }, 'start-up failed');
  }
  process.exit(1);
});
