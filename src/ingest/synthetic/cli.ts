/**
 * `npm run bench:generate -- --size tiny|small|medium|large [--seed N]`: writes a synthetic
 * funding graph (synthetic/generate.ts) through the one writer, in batches, with a progress
 * line and a final rate. Deterministic: the same size and seed give the same graph, and a
 * re-run changes nothing.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../../config/index.js';
import { exitOnError } from '../../errors/expected.js';
import { createDriver } from '../../store/driver.js';
import { startLocalNeo4j } from '../../store/local/local-neo4j.js';
import { BatchedSourceWrite } from '../writer.js';
import { SIZES, syntheticSource, type Size } from './generate.js';

const say = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { size: { type: 'string', default: 'tiny' }, seed: { type: 'string', default: '1' } },
  });
  if (!(values.size in SIZES) || !/^\d+$/.test(values.seed)) {
    say(`usage: npm run bench:generate -- --size ${Object.keys(SIZES).join('|')} [--seed N]`);
    return 2;
  }
  const config = loadConfig();
  if (config.neo4j.local) await startLocalNeo4j(config.neo4j.local, config.neo4j, say);
  const driver = createDriver(config.neo4j);
  try {
    const started = performance.now();
    const { source, batches, totals } = syntheticSource(values.size as Size, Number(values.seed));
    const write = new BatchedSourceWrite(driver, config.neo4j.database, source);
    await write.begin();
    let programmes = 0;
    let relationships = 0;
    let peakRssMb = 0;
    for (const batch of batches) {
      await write.write(batch);
      programmes += batch.nodes.Programme.length;
      relationships += batch.relationships.reduce((n, g) => n + g.rows.length, 0);
      peakRssMb = Math.max(peakRssMb, process.memoryUsage().rss / 2 ** 20);
      const s = (performance.now() - started) / 1000;
      process.stderr.write(
        `${process.stderr.isTTY ? '\r\x1b[K' : ''}${source}: ${programmes}/${totals.programmes} programmes, ${relationships} relationships, ${(relationships / s).toFixed(0)} relationships/s${process.stderr.isTTY ? '' : '\n'}`,
      );
    }
    await write.finish();
    const seconds = (performance.now() - started) / 1000;
    if (process.stderr.isTTY) process.stderr.write('\n');
    say(
      `wrote ${source} in ${seconds.toFixed(1)} s: ${totals.organisations} organisations, ${programmes} programmes, ` +
        `${relationships} relationships (${(relationships / seconds).toFixed(0)}/s); ` +
        `${write.summary.nodesCreated} nodes and ${write.summary.relationshipsCreated} relationships created; ` +
        `importer peak RSS ${peakRssMb.toFixed(0)} MB`,
    );
    return 0;
  } finally {
    await driver.close();
  }
}

main().then((code) => process.exit(code), exitOnError());
