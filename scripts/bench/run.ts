/**
 * `npm run bench [-- --size seed|tiny|small|medium|large] [--seed N] [--runs N] [--budget S]
 * [--duration S] [--reuse] [--no-write]`: one process run, side by side, written to
 * BENCHMARKS.md, with the run's own wall time.
 *
 * 1. Import: the seed page (`seed`) or a synthetic graph (`npm run bench:generate`) into the
 *    benchmark's own local Neo4j (.neo4j/bench, port 7689; emptied first unless --reuse), in a
 *    child process: wall time, rate, peak RSS of the importer and RSS of Neo4j.
 * 2. Every saved question through HTTP GraphQL (the compiled API, built and started as `npm start`
 *    does, in a child process) and the same answer from hand-written Cypher through neo4j-driver, interleaved in
 *    one loop and checked to be equal; the floor beside them: `{ __typename }` over HTTP and
 *    `RETURN 1` through the driver.
 * 3. Throughput and errors at 1, 8 and 32 clients mixing the saved questions (autocannon).
 *
 * Figures are printed and written, never asserted: speed is measured here, not in tests.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import type { Driver } from 'neo4j-driver';
import { loadConfig, projectRoot } from '../../src/config/index.js';
import { SIZES } from '../../src/ingest/synthetic/generate.js';
import { createDriver } from '../../src/store/driver.js';
import { describeKept, tryKeepMoneyTotals } from '../../src/store/analyst/money-rollup.js';
import { BOOKKEEPING_LABELS } from '../../src/model/index.js';
import { startLocalNeo4j, stopLocalNeo4j } from '../../src/store/local/local-neo4j.js';
import { comparable, pickSubjects, questions, type Question } from './questions.js';
import { benchEnv, memoryOf, userEnv } from './bench-env.js';
import { fmt, latency, markdownTable, replaceSection, type Latency } from './stats.js';

const say = (line: string) => process.stdout.write(`${line}\n`);
const runStarted = performance.now();
const SIZE_NAMES = ['seed', ...Object.keys(SIZES)];
const WARMUP = 2;
/** Every pair is timed at least this often, whatever its budget. */
const MIN_RUNS = 5;

const { values: args } = parseArgs({
  options: {
    size: { type: 'string', default: 'small' },
    seed: { type: 'string', default: '1' },
    runs: { type: 'string', default: '50' },
    budget: { type: 'string', default: '1' },
    duration: { type: 'string', default: '3' },
    reuse: { type: 'boolean', default: false },
    'no-write': { type: 'boolean', default: false },
  },
});
if (
  !SIZE_NAMES.includes(args.size) ||
  ![args.seed, args.runs, args.budget, args.duration].every((n) => /^\d+$/.test(n))
) {
  say(
    `usage: npm run bench -- [--size ${SIZE_NAMES.join('|')}] [--seed N] [--runs N] [--budget S] [--duration S] [--reuse] [--no-write]`,
  );
  process.exit(2);
}
const runs = Number(args.runs);
const budgetMs = Number(args.budget) * 1000;

const config = loadConfig();

/** `node --import tsx <script>` in its own process (one process, so /proc shows its memory). */
function node(script: string, argv: string[], env: NodeJS.ProcessEnv, quiet = false): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, script), ...argv], {
    cwd: projectRoot,
    env,
    stdio: quiet ? 'ignore' : ['ignore', 'inherit', 'inherit'],
  });
}

/** Nodes (the writer's bookkeeping aside) and relationships, from Neo4j's count store. */
async function countGraph(driver: Driver) {
  const { records } = await driver.executeQuery(
    `CALL () { MATCH (n) RETURN count(n) AS all }
     CALL () { MATCH (n:${BOOKKEEPING_LABELS.join('|')}) RETURN count(n) AS bookkeeping }
     CALL () { MATCH ()-[r]->() RETURN count(r) AS relationships }
     RETURN all - bookkeeping AS nodes, relationships`,
    {},
    { database: config.neo4j.database, routing: 'READ' },
  );
  return {
    nodes: Number(records[0]?.get('nodes')),
    relationships: Number(records[0]?.get('relationships')),
  };
}

interface ImportFigures {
  seconds: number;
  nodes: number;
  relationships: number;
  importerPeakMb: number;
  neo4jMb: number;
}

async function importGraph(driver: Driver, neo4jPid: number | undefined): Promise<ImportFigures> {
  const { database } = config.neo4j;
  say('emptying the benchmark database…');
  // A failed batch is reported in the answer, not thrown, sometimes with no message: go on
  // while each round deletes something, and stop when one does not (a graph half emptied
  // would be measured as the next size's).
  let left = Number.POSITIVE_INFINITY;
  for (;;) {
    const { records } = await driver.executeQuery(
      `CALL apoc.periodic.iterate('MATCH (n) RETURN n', 'DETACH DELETE n', { batchSize: 5000 })
       YIELD failedBatches, errorMessages
       RETURN failedBatches, errorMessages, COUNT { MATCH (n) } AS left`,
      {},
      { database },
    );
    const now = Number(records[0]?.get('left'));
    if (now === 0) break;
    if (now >= left) {
      throw new Error(
        `the benchmark database was not emptied: ${now} nodes left, ${String(records[0]?.get('failedBatches'))} batches failed (${JSON.stringify(records[0]?.get('errorMessages'))})`,
      );
    }
    say(`  ${now} nodes left (a batch failed): emptying again…`);
    left = now;
  }
  const [script, argv] =
    args.size === 'seed'
      ? ['src/ingest/cli.ts', []]
      : ['src/ingest/synthetic/cli.ts', ['--size', args.size, '--seed', args.seed]];
  const started = performance.now();
  const child = node(script, argv, benchEnv);
  let importerPeakMb = 0;
  const sampler = setInterval(() => {
    const m = memoryOf(child.pid).peak;
    if (Number.isFinite(m)) importerPeakMb = Math.max(importerPeakMb, m);
  }, 100);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  clearInterval(sampler);
  if (code !== 0) throw new Error(`the import exited with ${code}`);
  const seconds = (performance.now() - started) / 1000;
  const counts = await countGraph(driver);
  return {
    seconds,
    nodes: counts.nodes,
    relationships: counts.relationships,
    importerPeakMb,
    neo4jMb: memoryOf(neo4jPid).now,
  };
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });

let built: Buffer | undefined;

async function startApi(
  home: string | undefined,
  cacheMb: number,
): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const env = {
    ...benchEnv,
    RESPONSE_CACHE_MB: String(cacheMb),
    PORT: String(port),
    NODE_ENV: 'production',
    ...(home ? { HOME_ORGANISATION: home } : {}),
  };
  // As `npm start` runs it: built once, then the compiled server.
  built ??= execFileSync('npm', ['run', '-s', 'build'], { cwd: projectRoot, stdio: 'ignore' });
  const child = spawn(process.execPath, [path.join(projectRoot, 'dist/main.js')], {
    cwd: projectRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // The end of what it said, for when it does not start.
  let said = '';
  const keep = (chunk: Buffer) => {
    said = (said + chunk.toString('utf8')).slice(-2000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) {
      throw new Error(`the API exited with ${child.exitCode}:\n${said.trim()}`);
    }
    const ok = await fetch(`${url}/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { url, child };
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the API did not become ready in 120 s');
}

const graphqlBody = (q: {
  saved: { document: string; operationName: string };
  variables: object;
}) =>
  JSON.stringify({
    query: q.saved.document,
    variables: q.variables,
    operationName: q.saved.operationName,
  });

async function askGraphql(url: string, body: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  const json = (await res.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
  if (!res.ok || json.errors)
    throw new Error(`${res.status}: ${JSON.stringify(json).slice(0, 400)}`);
  return json.data ?? {};
}

async function askCypher(
  driver: Driver,
  q: Pick<Question, 'cypher' | 'params' | 'also' | 'shape'>,
): Promise<unknown[]> {
  const session = driver.session({ database: config.neo4j.database, defaultAccessMode: 'READ' });
  try {
    return await session.executeRead(async (tx) => {
      if (q.also) await tx.run(q.also, q.params);
      const run = async (cypher: string) =>
        (await tx.run(cypher, q.params)).records.map((r) => r.get(0) as unknown);
      const rows = await run(q.cypher);
      return q.shape ? q.shape(rows, run) : rows;
    });
  } finally {
    await session.close();
  }
}

interface Side {
  name: string;
  graphql: () => Promise<unknown>;
  /** The same request to the API with its response cache on (answered from the cache). */
  cached: () => Promise<unknown>;
  cypher: () => Promise<unknown>;
  same: string;
}

const KINDS = ['graphql', 'cached', 'cypher'] as const;
type Kind = (typeof KINDS)[number];

/**
 * Both sides of every pair, alternating which goes first, after WARMUP untimed rounds; a pair
 * stops after `runs` runs, or once it has MIN_RUNS and has spent its time budget (so that a
 * question of a second does not hold the run up; the table says how many runs each pair had).
 */
async function interleaved(sides: Side[]): Promise<Map<string, Record<Kind, Latency>>> {
  const times = new Map(
    sides.map((s) => [
      s.name,
      { graphql: [] as number[], cached: [] as number[], cypher: [] as number[], spent: 0 },
    ]),
  );
  for (let round = 0; round < WARMUP + runs; round++) {
    let active = 0;
    for (const side of sides) {
      const t = times.get(side.name);
      if (!t || (t.graphql.length >= MIN_RUNS && t.spent >= budgetMs)) continue;
      active++;
      // Each kind goes first in turn.
      const order = KINDS.map((_, i) => KINDS[(i + round) % KINDS.length] as Kind);
      for (const which of order) {
        const started = performance.now();
        await side[which]();
        const ms = performance.now() - started;
        if (round >= WARMUP) {
          t[which].push(ms);
          t.spent += ms;
        }
      }
    }
    if (process.stderr.isTTY) process.stderr.write(`\r\x1b[Kround ${round + 1}/${WARMUP + runs}`);
    if (active === 0) break;
  }
  if (process.stderr.isTTY) process.stderr.write('\n');
  return new Map(
    [...times].map(([k, v]) => [
      k,
      { graphql: latency(v.graphql), cached: latency(v.cached), cypher: latency(v.cypher) },
    ]),
  );
}

/** The headers of every load request (the response cache keys by Accept and Content-Type). */
const LOAD_HEADERS = { 'content-type': 'application/json', accept: 'application/json' };

/**
 * One pass of every question with the load's own headers, so that the load with the cache on
 * measures a warm cache (what a dashboard meets after its first view).
 */
async function warmCache(url: string, qs: Question[]) {
  for (const q of qs) {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: LOAD_HEADERS,
      body: graphqlBody(q),
    });
    await res.arrayBuffer();
  }
}

async function load(url: string, qs: Question[], connections: number, cache: 'off' | 'on') {
  const result = await autocannon({
    url: `${url}/graphql`,
    connections,
    duration: Number(args.duration),
    requests: qs.map((q) => ({
      method: 'POST' as const,
      path: '/graphql',
      headers: LOAD_HEADERS,
      body: graphqlBody(q),
    })),
  });
  return {
    connections,
    cache,
    requests: result.requests.total,
    perSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

async function main() {
  const local = config.neo4j.local;
  if (!local) throw new Error('the benchmark runs against its own local Neo4j: unset NEO4J_URI');
  const { alreadyRunning, status } = await startLocalNeo4j(local, config.neo4j, say);
  const driver = createDriver(config.neo4j);
  let api: ChildProcess | undefined;
  let cachedApi: ChildProcess | undefined;
  try {
    const { database } = config.neo4j;
    let imported: ImportFigures | undefined;
    if (!args.reuse) imported = await importGraph(driver, status.pid);
    const counts = await countGraph(driver);
    if (counts.nodes === 0) throw new Error('the benchmark database is empty: run without --reuse');
    const subjects = args.size === 'seed' ? undefined : await pickSubjects(driver, database);
    // The APIs would sum the money totals in the background if they were stale: summed (or
    // found kept) here first, so that no question is timed while a sum runs beside it.
    say(describeKept(await tryKeepMoneyTotals(driver, database)));
    say('starting the API twice: response cache off (our layer) and on (what dashboards get)…');
    const started = await startApi(subjects?.home, 0);
    api = started.child;
    const { url } = started;
    const startedCached = await startApi(subjects?.home, 256);
    cachedApi = startedCached.child;
    const cachedUrl = startedCached.url;
    const home =
      subjects?.home ??
      (
        (await askGraphql(url, JSON.stringify({ query: '{ home { key } }' }))).home as {
          key: string;
        }
      ).key;
    const qs = await questions(driver, database, {
      home,
      pageSize: config.limits.maxPageSize,
      subjects,
    });

    // The same answer from both sides, or the benchmark says which question differs.
    const sides: Side[] = [];
    const failed: string[][] = [];
    for (const q of qs) {
      const body = graphqlBody(q);
      const name = q.saved.operationName;
      let data: Record<string, unknown>;
      let rows: unknown[];
      try {
        data = await askGraphql(url, body);
        rows = await askCypher(driver, q);
      } catch (error) {
        // Not timed: the table says why (e.g. a 504 when the question outlasts the timeout).
        failed.push([
          name,
          // Every figure column; the reason goes in the last one ("same").
          ...Array<string>(10).fill('—'),
          `failed: ${String(error).slice(0, 160)}`,
        ]);
        continue;
      }
      const { graphql, cypher } = comparable(q, data, rows);
      const answer = data[q.field];
      const count = Array.isArray(answer) ? answer.length : answer == null ? 0 : 1;
      sides.push({
        name,
        graphql: () => askGraphql(url, body),
        cached: () => askGraphql(cachedUrl, body),
        cypher: () => askCypher(driver, q),
        same: graphql === cypher ? `yes (${count})` : `NO (${count} vs ${rows.length})`,
      });
    }
    const floorBody = JSON.stringify({ query: '{ __typename }' });
    sides.push({
      name: 'floor: { __typename } / RETURN 1',
      graphql: () => askGraphql(url, floorBody),
      cached: () => askGraphql(cachedUrl, floorBody),
      cypher: () => askCypher(driver, { cypher: 'RETURN 1', params: {} }),
      same: '—',
    });
    say(
      `timing ${sides.length} pairs, up to ${runs} runs each (${args.budget} s a pair, at least ${MIN_RUNS}) after ${WARMUP} warm-up rounds, interleaved…`,
    );
    const timed = await interleaved(sides);
    const loads = [];
    for (const [cache, target] of [
      ['off', url],
      ['on', cachedUrl],
    ] as const) {
      if (cache === 'on') {
        say("warming the response cache: every question once, with the load's headers…");
        await warmCache(target, qs);
      }
      for (const c of [1, 8, 32]) {
        say(`load: ${c} client(s), response cache ${cache}, for ${args.duration} s…`);
        loads.push(await load(target, qs, c, cache));
      }
    }
    const neo4jAfter = memoryOf(status.pid);

    const versions = (
      await driver.executeQuery(
        'CALL dbms.components() YIELD name, versions RETURN versions[0] AS v',
        {},
        { database },
      )
    ).records[0]?.get('v') as string;
    const where = ['NEO4J_LOCAL_DIR', 'NEO4J_LOCAL_PORT']
      .filter((k) => userEnv[k] !== undefined)
      .map((k) => `${k}=${userEnv[k]} `)
      .join('');
    const command = `${where}npm run bench -- --size ${args.size}${args.size === 'seed' ? '' : ` --seed ${args.seed}`} --runs ${runs} --budget ${args.budget} --duration ${args.duration}${args.reuse ? ' --reuse' : ''}`;
    const latencyRows = [...timed].map(([name, t]) => [
      name,
      String(t.graphql.n),
      fmt(t.graphql.p50, 2),
      fmt(t.graphql.p95, 2),
      fmt(t.graphql.p99, 2),
      fmt(t.cached.p50, 2),
      fmt(t.cached.p95, 2),
      fmt(t.cypher.p50, 2),
      fmt(t.cypher.p95, 2),
      fmt(t.cypher.p99, 2),
      `${fmt(t.graphql.p50 / t.cypher.p50, 2)}×`,
      sides.find((s) => s.name === name)?.same ?? '',
    ]);
    latencyRows.splice(-1, 0, ...failed);
    const section = [
      `### ${args.size}`,
      '',
      `\`${command}\` — ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores, ${fmt(os.totalmem() / 2 ** 30, 0)} GB, Node.js ${process.version}, Neo4j ${versions} (local, ${database}).`,
      `Graph: ${counts.nodes.toLocaleString('en-GB')} nodes, ${counts.relationships.toLocaleString('en-GB')} relationships.`,
      '',
      imported
        ? `Import: ${fmt(imported.seconds)} s (${fmt(imported.relationships / imported.seconds, 0)} relationships/s, whole process), importer peak RSS ${fmt(imported.importerPeakMb, 0)} MB, Neo4j RSS after import ${fmt(imported.neo4jMb, 0)} MB.`
        : 'Import: not measured in this run (--reuse).',
      '',
      `Latency in ms (runs: timed runs of each side; up to ${runs}, fewer once a pair has spent ${args.budget} s), GraphQL over HTTP with the response cache off, the same request to a second API instance with the cache on (after the warm-up, answered from the cache), and the same answer from hand-written Cypher through neo4j-driver, interleaved, all from this one Node.js process (its own cost is in every column: see the floor row); "same" compares the GraphQL and Cypher answers (rows).`,
      '',
      markdownTable(
        [
          'question',
          'runs',
          'GraphQL p50',
          'p95',
          'p99',
          'cached p50',
          'p95',
          'Cypher p50',
          'p95',
          'p99',
          'GraphQL / Cypher p50',
          'same (rows)',
        ],
        latencyRows,
      ),
      '',
      `Load: the saved questions in turn, ${args.duration} s per row (autocannon); with the cache on, after one pass of every question (a warm cache). Neo4j RSS after: ${fmt(neo4jAfter.now, 0)} MB (peak ${fmt(neo4jAfter.peak, 0)} MB).`,
      '',
      markdownTable(
        ['clients', 'cache', 'requests', 'requests/s', 'p50 ms', 'p99 ms', 'non-2xx', 'errors'],
        loads.map((l) => [
          String(l.connections),
          l.cache,
          l.requests.toLocaleString('en-GB'),
          fmt(l.perSecond),
          String(l.p50),
          String(l.p99),
          String(l.non2xx),
          String(l.errors),
        ]),
      ),
      '',
      `Whole run (Neo4j start, import, API start, timing, load): ${fmt((performance.now() - runStarted) / 1000, 0)} s.`,
    ].join('\n');
    say(`\n${section}\n`);
    if (!args['no-write']) {
      const file = path.join(projectRoot, 'BENCHMARKS.md');
      writeFileSync(file, replaceSection(readFileSync(file, 'utf8'), args.size, section));
      say(`written to BENCHMARKS.md (section ${args.size})`);
    }
    if (sides.some((s) => s.same.startsWith('NO'))) {
      say(
        'some answers differ between GraphQL and Cypher (see "same"): the figures compare different work',
      );
      process.exitCode = 1;
    }
  } finally {
    api?.kill('SIGTERM');
    cachedApi?.kill('SIGTERM');
    await driver.close();
    if (!alreadyRunning) {
      say('stopping the benchmark Neo4j…');
      await stopLocalNeo4j(local);
    }
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
