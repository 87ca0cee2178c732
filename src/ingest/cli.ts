/**
 * `npm run seed [-- file.yaml …]`: validates the extraction files (default: seeds/*.yaml) and
 * imports them. Exit 0 on success, 1 with a list of problems (file:line path: what — why)
 * and the database untouched on bad input.
 */
import path from 'node:path';
import { loadConfig } from '../config/index.js';
import { exitOnError } from '../errors/expected.js';
import { createDriver } from '../store/driver.js';
import { startLocalNeo4j } from '../store/local/local-neo4j.js';
import { defaultSeedFiles, seed } from './ingest.js';

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

main(process.argv.slice(2)).then((code) => process.exit(code), exitOnError());
