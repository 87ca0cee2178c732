/**
 * Everything between a connected driver and a listening-ready server, shared by `npm start`
 * and the tests: the schema built once, Neo4j's compatibility checked, constraints and indexes
 * asserted, the seed imported into an empty graph, the home organisation found.
 */
import type { Driver } from 'neo4j-driver';
import type { Logger } from 'pino';
import type { Config } from '../config/index.js';
import { ensureSchema } from '../db/schema-ops.js';
import { AnalystService } from '../graphql/analyst/analyst-service.js';
import { buildSchema } from '../graphql/schema.js';
import { defaultSeedFiles, isGraphEmpty, seed } from '../seed/seed.js';
import { createApp, type App } from './app.js';

export async function prepareApi(config: Config, driver: Driver, log: Logger): Promise<App> {
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
  if (!homeKey) {
    throw new Error('No home organisation: set HOME_ORGANISATION or import a source first.');
  }
  log.info({ homeKey }, 'home organisation');
  return createApp({ config, driver, schema, analyst, homeKey, log });
}
