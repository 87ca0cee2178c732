/**
 * `npm run seed [-- file.yaml …]`: validates the extraction files (default: seeds/*.yaml) and
 * imports them. Exit 0 on success, 1 with a list of problems (file:line path: what — why)
 * and the database untouched on bad input.
 */
import path from 'node:path';
import { ConfigError, loadConfig } from '../config/index.js';
import { createDriver } from '../db/driver.js';
import { LocalNeo4jError } from '../db/local/errors.js';
import { startLocalNeo4j } from '../db/local/local-neo4j.js';
import { SeedValidationError } from './problems.js';
import { defaultSeedFiles, seed } from './seed.js';

const say = (line: string) => process.stdout.write(`${line}\n`);

async function main(args: string[]): Promise<number> {
  const config = loadConfig();
  const files = args.length > 0 ? args.map((f) => path.resolve(f)) : defaultSeedFiles();
  if (config.neo4j.local) await startLocalNeo4j(config.neo4j.local, config.neo4j, say);
  const driver = createDriver(config.neo4j);
  try {
    const started = Date.now();
    const { summary, counts } = await seed(driver, config.neo4j.database, files, say);
    say(
      `imported ${summary.sources.join(', ')} in ${Date.now() - started} ms: ` +
        `${summary.nodesCreated} nodes and ${summary.relationshipsCreated} relationships created, ` +
        `${summary.nodesDeleted} nodes and ${summary.relationshipsDeleted} relationships removed`,
    );
    say('the graph now holds:');
    for (const [label, n] of Object.entries(counts.labels)) say(`  (:${label}) ${n}`);
    for (const [type, n] of Object.entries(counts.types)) say(`  -[:${type}]-> ${n}`);
    return 0;
  } finally {
    await driver.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (
      error instanceof SeedValidationError ||
      error instanceof ConfigError ||
      error instanceof LocalNeo4jError
    ) {
      process.stderr.write(`${error.message}\n`);
    } else {
      process.stderr.write(
        `seed failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
    }
    process.exit(1);
  },
);
