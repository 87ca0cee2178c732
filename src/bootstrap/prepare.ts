/**
 * Start-up, shared by `npm start` and the tests: everything between a connected driver and a
 * listening-ready server. The database is made ready first (compatibility, constraints and
 * indexes checked, the seed imported into an empty graph), then the API is built on it.
 */
import type { Driver } from 'neo4j-driver';
import type { Logger } from 'pino';
import { createApp, type App } from '../api/app.js';
import { buildSchema } from '../api/schema.js';
import type { Config } from '../config/index.js';
import { StartupError } from '../errors/expected.js';
import { defaultSeedFiles, seed } from '../ingest/ingest.js';
import { AnalystRepository } from '../store/analyst-repository.js';
import { isGraphEmpty } from '../store/graph-stats.js';
import { ensureSchema, missingSchema } from '../store/schema-ops.js';

export async function prepareApi(config: Config, driver: Driver, log: Logger): Promise<App> {
  const { database } = config.neo4j;
  const { neoSchema, schema } = await buildSchema(driver, {
    jwtSecret: config.auth.jwtSecret,
    maxPageSize: config.limits.maxPageSize,
  });
  await neoSchema.checkNeo4jCompat({ driver, sessionConfig: { database } });
  await ensureSchema(driver, database);
  const missing = await missingSchema(driver, database);
  if (missing.length > 0) {
    throw new StartupError(
      `The database lacks constraints or indexes the graph relies on:\n${missing.map((m) => `  - ${m}`).join('\n')}`,
    );
  }
  if (await isGraphEmpty(driver, database)) {
    log.info('the graph is empty: importing the seed data');
    const { summary } = await seed(driver, database, defaultSeedFiles(), (line) => log.info(line));
    log.info(summary, 'seed data imported');
  }
  const analyst = new AnalystRepository(driver, database);
  const homeKey = config.homeOrganisation ?? (await analyst.defaultHomeKey());
  if (!homeKey) {
    throw new StartupError('No home organisation: set HOME_ORGANISATION or import a source first.');
  }
  if (
    (
      await analyst.read('home', { timeout: config.limits.transactionTimeoutMs }, (reads) =>
        reads.findOrganisations(homeKey),
      )
    ).every((o) => o.key !== homeKey)
  ) {
    throw new StartupError(
      `HOME_ORGANISATION is "${homeKey}", but no organisation has that key: give the key of one (see organisations { key name }).`,
    );
  }
  log.info({ homeKey }, 'home organisation');
  return createApp({ config, driver, schema, analyst, homeKey, log });
}
