/**
 * `npm run bench:iati [-- --no-write] [file…]`: real IATI files imported as a user imports them
 * (`npm run import:iati`, in a child process), into the benchmark's own local Neo4j
 * (.neo4j/bench, port 7689, emptied and seeded with the page first), each file twice: the first
 * import and a re-import, which should change nothing. For each: wall time, the check pass's
 * rate, the importer's peak RSS (from /proc), what was taken and left out, and what was
 * created and removed. Default files: ../shared/iati/real/*. Written to BENCHMARKS.md
 * (section `iati-real`) with the machine and the command.
 *
 * Figures are printed and written, never asserted: speed is measured here, not in tests.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig, projectRoot } from '../../src/config/index.js';
import { createDriver } from '../../src/store/driver.js';
import { startLocalNeo4j, stopLocalNeo4j } from '../../src/store/local/local-neo4j.js';
import { benchEnv, peakOfTree } from './bench-env.js';
import { fmt, markdownTable, replaceSection } from './stats.js';

const say = (line: string) => process.stdout.write(`${line}\n`);
const runStarted = performance.now();
const REAL = path.resolve(projectRoot, '../shared/iati/real');

const { values: args, positionals } = parseArgs({
  options: { 'no-write': { type: 'boolean', default: false } },
  allowPositionals: true,
});
const files =
  positionals.length > 0
    ? positionals
    : readdirSync(REAL)
        .filter((f) => /\.xml(\.gz)?$/.test(f))
        .sort()
        .map((f) => path.join(REAL, f));

const config = loadConfig();

interface Run {
  seconds: number;
  peakMb: number;
  output: string;
}

/**
 * One npm script run as a user runs it (`npm run -s <script> -- …`, with the script's own node
 * options), the peak RSS of its largest process sampled from /proc.
 */
async function cli(script: string, argv: string[]): Promise<Run> {
  const started = performance.now();
  const child = spawn('npm', ['run', '-s', script, '--', ...argv], {
    cwd: projectRoot,
    env: benchEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  let peakMb = 0;
  const sampler = setInterval(() => {
    const peak = peakOfTree(child.pid);
    if (Number.isFinite(peak)) peakMb = Math.max(peakMb, peak);
  }, 100);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  clearInterval(sampler);
  if (code !== 0) throw new Error(`${script} ${argv.join(' ')} exited with ${code}:\n${output}`);
  return { seconds: (performance.now() - started) / 1000, peakMb, output };
}

const figure = (output: string, pattern: RegExp) => Number(pattern.exec(output)?.[1] ?? NaN);

function row(file: string, which: string, run: Run): string[] {
  const o = run.output;
  const n = (p: RegExp) => fmt(figure(o, p), 0);
  return [
    path.basename(file),
    which,
    `${n(/(?:imported|checked) \d+ files? in [\d.]+ s: (\d+) activities \(/)} / ${n(/\((\d+) skipped;/)}`,
    n(/; (\d+) elements dropped/),
    n(/, (\d+) transactions or budgets skipped/),
    n(/, (\d+) values mapped or cut/),
    fmt(figure(o, /checked [^\n]*\((\d+)\/s\)/), 0),
    fmt(run.seconds, 1),
    fmt(run.peakMb, 0),
    ...(/; nothing written\n/.test(o)
      ? ['not written', 'not written']
      : [
          `${n(/(\d+) nodes and \d+ relationships created/)} / ${n(/created, (\d+) nodes and/)}`,
          `${n(/nodes and (\d+) relationships created/)} / ${n(/(\d+) relationships removed/)}`,
        ]),
  ];
}

async function main() {
  const local = config.neo4j.local;
  if (!local) throw new Error('the benchmark runs against its own local Neo4j: unset NEO4J_URI');
  const { alreadyRunning } = await startLocalNeo4j(local, config.neo4j, say);
  const driver = createDriver(config.neo4j);
  const rows: string[][] = [];
  try {
    say('emptying the benchmark database and importing the seed page…');
    await driver.executeQuery(
      `CALL apoc.periodic.iterate('MATCH (n) RETURN n', 'DETACH DELETE n', { batchSize: 5000 })`,
      {},
      { database: config.neo4j.database },
    );
    await cli('seed', []);
    const reports = mkdtempSync(path.join(os.tmpdir(), 'bench-iati-'));
    for (const file of files) {
      const runs = [
        ['first import', []],
        ['re-import', []],
        ['forced re-import', ['--force']],
      ] as const;
      for (const [which, options] of runs) {
        say(`${path.basename(file)}: ${which}…`);
        const report = path.join(reports, `${path.basename(file)}.jsonl`);
        const run = await cli('import:iati', [...options, '--report', report, file]);
        const r = row(file, which, run);
        say(r.join(' | '));
        rows.push(r);
      }
    }
  } finally {
    await driver.close();
    if (!alreadyRunning) await stopLocalNeo4j(local);
  }
  const section = [
    `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, ${fmt(os.totalmem() / 2 ** 30, 0)} GB, Node ${process.version}; ${new Date().toISOString().slice(0, 10)}.`,
    `Command: \`npm run bench:iati\` (each file imported by \`npm run import:iati -- --report … <file>\` in a child process, into a graph holding the seed page and the files above it; then imported again — checked, not written, as it is unchanged — and again with \`--force\`, written, which should change nothing).`,
    '',
    markdownTable(
      [
        'file',
        'run',
        'activities imported / skipped',
        'elements dropped',
        'money skipped',
        'values mapped or cut',
        'check pass activities/s',
        'whole import s',
        'importer peak MB',
        'nodes created / removed',
        'relationships created / removed',
      ],
      rows,
    ),
    '',
    `Whole run (Neo4j start, seed, imports): ${fmt((performance.now() - runStarted) / 1000, 0)} s.`,
  ].join('\n');
  say(`\n${section}\n`);
  if (!args['no-write']) {
    const target = path.join(projectRoot, 'BENCHMARKS.md');
    writeFileSync(target, replaceSection(readFileSync(target, 'utf8'), 'iati-real', section));
    say('written to BENCHMARKS.md (section iati-real)');
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench:iati failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
