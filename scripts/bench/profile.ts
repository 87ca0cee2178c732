/**
 * `npm run bench:profile [-- --size S] [--no-write]`: PROFILE of every saved question against
 * the graph in the benchmark database (after `npm run bench -- --size S`): the Cypher the API
 * sends for it (captured from the real API, @neo4j/graphql's and the analyst repository's
 * alike) and the hand-written Cypher beside it — database hits, rows, and the operator with
 * the most hits. Written to BENCHMARKS.md (section profile-S), beside the Cypher snapshots in
 * test/integration/cypher/.
 */
import type { AddressInfo } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Driver } from 'neo4j-driver';
import { pino } from 'pino';
import { capturingDriver, type CapturedStatement } from '../../test/support/cypher-capture.js';
import { prepareApi } from '../../src/bootstrap/prepare.js';
import { loadConfig, parseConfig, projectRoot } from '../../src/config/index.js';
import { apiDriverOptions, createDriver } from '../../src/store/driver.js';
import { pickSubjects, questions } from './questions.js';
import { markdownTable, replaceSection } from './stats.js';

const { values: args } = parseArgs({
  options: {
    size: { type: 'string', default: 'large' },
    'no-write': { type: 'boolean', default: false },
  },
});
/* eslint-disable no-restricted-properties */
process.env.NEO4J_LOCAL_DIR ??= '.neo4j/bench';
process.env.NEO4J_LOCAL_PORT ??= '7689';
/* eslint-enable no-restricted-properties */

interface PlanNode {
  operatorType: string;
  dbHits: number;
  rows: number;
  children: PlanNode[];
}

/** Total database hits of a plan, and its operator with the most. */
function hits(plan: PlanNode): { total: number; top: PlanNode } {
  let total = plan.dbHits;
  let top = plan;
  for (const child of plan.children) {
    const c = hits(child);
    total += c.total;
    if (c.top.dbHits > top.dbHits) top = c.top;
  }
  return { total, top };
}

async function profile(driver: Driver, database: string, statements: CapturedStatement[]) {
  let total = 0;
  let rows = 0;
  let top: PlanNode | undefined;
  for (const s of statements) {
    const session = driver.session({ database, defaultAccessMode: 'READ' });
    try {
      const result = await session.run(`PROFILE ${s.cypher}`, s.params);
      const plan = result.summary.profile as unknown as PlanNode | false;
      if (!plan) continue;
      const h = hits(plan);
      total += h.total;
      rows += result.records.length;
      if (!top || h.top.dbHits > top.dbHits) top = h.top;
    } finally {
      await session.close();
    }
  }
  return {
    total,
    rows,
    top: top ? `${top.operatorType} (${top.dbHits.toLocaleString('en-GB')})` : '—',
  };
}

async function main() {
  const base = loadConfig();
  // Generous limits: PROFILE measures the work, whatever it costs.
  const config = {
    ...parseConfig({ NODE_ENV: 'test', NEO4J_TX_TIMEOUT_MS: '120000' }),
    neo4j: base.neo4j,
  };
  const real = createDriver(config.neo4j, apiDriverOptions(config.limits));
  const log: CapturedStatement[] = [];
  const { database } = config.neo4j;
  const subjects = args.size === 'seed' ? undefined : await pickSubjects(real, database);
  if (subjects) config.homeOrganisation = subjects.home;
  const { httpServer, apollo, moneyTotalsSettled } = await prepareApi(
    config,
    capturingDriver(real, log),
    pino({ level: 'silent' }),
  );
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  // The start-up's sum of the money totals (in the background) is not a question's statement.
  await moneyTotalsSettled();
  log.length = 0;
  const url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
  try {
    const home =
      subjects?.home ??
      (
        (await (
          await fetch(`${url}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ query: '{ home { key } }' }),
          })
        ).json()) as { data: { home: { key: string } } }
      ).data.home.key;
    const rows: string[][] = [];
    for (const q of await questions(real, database, {
      home,
      pageSize: config.limits.maxPageSize,
      subjects,
    })) {
      log.length = 0;
      const res = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: q.saved.document,
          variables: q.variables,
          operationName: q.saved.operationName,
        }),
      });
      if (!res.ok) throw new Error(`${q.saved.operationName}: ${res.status} ${await res.text()}`);
      const sent = [...log];
      const api = await profile(real, database, sent);
      const raw = await profile(real, database, [{ cypher: q.cypher, params: q.params }]);
      rows.push([
        q.saved.operationName,
        String(sent.length),
        api.total.toLocaleString('en-GB'),
        api.top,
        raw.total.toLocaleString('en-GB'),
        raw.top,
      ]);
      process.stdout.write(`${rows.at(-1)?.join('  ')}\n`);
    }
    const section = [
      `### PROFILE at ${args.size}`,
      '',
      `\`npm run bench:profile -- --size ${args.size}\` — ${new Date().toISOString().slice(0, 10)}: database hits of the statements the API sends for each saved question (captured from the real API) and of the hand-written Cypher.`,
      '',
      markdownTable(
        [
          'question',
          'statements',
          'API db hits',
          'API: most hits in',
          'Cypher db hits',
          'Cypher: most hits in',
        ],
        rows,
      ),
    ].join('\n');
    process.stdout.write(`\n${section}\n`);
    if (!args['no-write']) {
      const file = path.join(projectRoot, 'BENCHMARKS.md');
      writeFileSync(
        file,
        replaceSection(readFileSync(file, 'utf8'), `profile-${args.size}`, section),
      );
    }
  } finally {
    await apollo.stop();
    await real.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `profile failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
