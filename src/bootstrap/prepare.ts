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
import { ensureGraphVersion } from '../store/graph-version.js';
import { chooseHome, type HomeChoice } from '../store/home.js';
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
  // A graph written before versions existed gets one, so that its answers can be cached.
  await ensureGraphVersion(driver, database);
  const analyst = new AnalystRepository(driver, database);
  const home = await chooseHome(driver, database, config.homeOrganisation);
  log.info(
    { homeKey: home.key, reason: home.reason, source: home.source, mergedFrom: home.mergedFrom },
    home.mergedFrom
      ? `home organisation: ${home.key} (${describeReason(home)}; ${home.mergedFrom} was merged into it)`
      : `home organisation: ${home.key} (${describeReason(home)})`,
  );
  return createApp({ config, driver, schema, analyst, home, log });
}

const describeReason = (home: HomeChoice) =>
  home.reason === 'CONFIGURED'
    ? 'configured by HOME_ORGANISATION'
    : `publisher of the first source imported, ${home.source ?? '?'}`;
