/**
 * `npm run import:iati -- [--strict] [--force] [--report FILE] <file|folder|URL>…`: checks every IATI
 * activity file (XML, the official schema, codelists, what the graph needs) activity by
 * activity, then writes what it accepts, file by file (a large file in batches). Exit 0 with a
 * summary line that counts what was skipped and dropped; `--report` writes every problem as
 * JSON Lines. Exit 1 listing the problems (file:line:column path: what — why), the database
 * untouched, when a file is no IATI activity file — or, with `--strict`, on any problem.
 *
 * `npm run iati:merges [-- source-key…]`: lists how imports joined differently spelt
 * organisations, for review.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../../config/index.js';
import { MERGE_LABEL } from '../../model/index.js';
import { exitOnError } from '../../errors/expected.js';
import { createDriver } from '../../store/driver.js';
import { startLocalNeo4j } from '../../store/local/local-neo4j.js';
import { describeKept } from '../../store/analyst/money-rollup.js';
import { importIati, type Progress } from './import-iati.js';

const say = (line: string) => process.stdout.write(`${line}\n`);

/** On a terminal: one line per file, rewritten with the count and rate as activities arrive. */
function progressBar(): Progress {
  const tty = process.stderr.isTTY;
  let started = Date.now();
  let last = 0;
  const line = (file: string, n: number) => {
    const seconds = (Date.now() - started) / 1000;
    return `${file}: ${n} activities (${seconds > 0 ? Math.round(n / seconds) : n}/s)`;
  };
  return {
    reading(file, n) {
      if (n === 1) started = Date.now();
      if (!tty || Date.now() - last < 200) return;
      last = Date.now();
      process.stderr.write(`\r\x1b[K${line(file, n)}`);
    },
    done(file, n) {
      process.stderr.write(`${tty ? '\r\x1b[K' : ''}checked ${line(file, n)}\n`);
      started = Date.now();
    },
    writing(file, n) {
      const text = `wrote ${line(file, n)}`;
      if (tty) process.stderr.write(`\r\x1b[K${text}`);
      else if (Date.now() - last >= 5000) {
        last = Date.now();
        process.stderr.write(`${text}\n`);
      }
    },
  };
}

const USAGE =
  'usage: npm run import:iati -- [--strict] [--force] [--report FILE] <file.xml|file.xml.gz|folder|URL>…';

async function importCommand(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        strict: { type: 'boolean' },
        report: { type: 'string' },
        force: { type: 'boolean' },
      },
      allowPositionals: true,
    });
  } catch (error) {
    say(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  const args = parsed.positionals;
  const { strict = false, report, force = false } = parsed.values;
  if (args.length === 0) {
    say(USAGE);
    return 2;
  }
  const config = loadConfig();
  if (config.neo4j.local) await startLocalNeo4j(config.neo4j.local, config.neo4j, say);
  const driver = createDriver(config.neo4j);
  try {
    const { records } = await driver.executeQuery(
      "MATCH (s:Source {importStatus: 'INCOMPLETE'}) RETURN s.key AS key ORDER BY key",
      {},
      { database: config.neo4j.database, routing: 'READ' },
    );
    const incomplete = records.map((r) => String(r.get('key')));
    if (incomplete.length > 0) {
      say(
        `note: the last import of ${incomplete.join(', ')} did not finish; importing the same file again completes it`,
      );
    }
    const s = await importIati(driver, config.neo4j.database, args, {
      progress: progressBar(),
      strict,
      force,
      ...(report ? { report } : {}),
    });
    if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
    const written = s.sources.length;
    const checked =
      `${s.files} file${s.files === 1 ? '' : 's'} in ${s.seconds.toFixed(1)} s: ` +
      `${s.activities} activities (${s.activitiesSkipped} skipped; ${s.elementsDropped} elements dropped, ${s.moneySkipped} transactions or budgets skipped, ${s.mapped} values mapped or cut)`;
    say(
      written === 0
        ? `checked ${checked}; nothing written`
        : `imported ${checked}, ${s.organisations} organisations (${s.merges.length} joined by ref, name or acronym), ` +
            `${s.transactions} transactions, ${s.budgets} budgets; ` +
            `${s.nodesCreated} nodes and ${s.relationshipsCreated} relationships created, ` +
            `${s.nodesDeleted} nodes and ${s.relationshipsDeleted} relationships removed`,
    );
    if (s.unchanged.length > 0) {
      say(
        `not written again, unchanged since their last complete import (the same bytes from the same place, the same importer): ${s.unchanged.join(', ')} (--force writes them anyway)`,
      );
    }
    if (s.rewritten.length > 0) {
      say(
        `written again from their files, because with these files their organisation mentions resolve to other nodes: ${s.rewritten.join(', ')}`,
      );
    }
    for (const { source, why } of s.stale) {
      say(
        `warning: ${source} would now resolve some organisations to other nodes, but it was left as it is: ${why}; import its file again to bring it in line`,
      );
    }
    if (s.problems > 0) {
      say(
        report
          ? `${s.problems} problems written to ${report}`
          : `${s.problems} problems: list them with --report FILE (JSON Lines), or refuse any with --strict`,
      );
    }
    if (written > 0 || s.moneyTotals.summed || s.moneyTotals.error !== undefined) {
      say(describeKept(s.moneyTotals));
    }
    if (s.merges.length > 0) say('review the joins with: npm run iati:merges');
    return 0;
  } finally {
    await driver.close();
  }
}

async function mergesCommand(sources: string[]): Promise<number> {
  const config = loadConfig();
  if (config.neo4j.local) await startLocalNeo4j(config.neo4j.local, config.neo4j, () => {});
  const driver = createDriver(config.neo4j);
  try {
    const { records } = await driver.executeQuery(
      `MATCH (s:Source) WHERE size(coalesce(s.merges, [])) > 0 AND ($sources = [] OR s.key IN $sources)
       RETURN s.key AS key, s.merges AS merges ORDER BY s.key`,
      { sources },
      { database: config.neo4j.database, routing: 'READ' },
    );
    if (records.length === 0) say('no joins recorded');
    for (const r of records) {
      say(`${String(r.get('key'))}:`);
      for (const m of r.get('merges') as string[]) say(`  ${m}`);
    }
    // Nodes merged into others (two nodes found to be one organisation), with their evidence.
    const merged = await driver.executeQuery(
      `MATCH (m:${MERGE_LABEL}) RETURN m.from AS from, m.into AS into, m.why AS why, toString(m.at) AS at ORDER BY m.at`,
      {},
      { database: config.neo4j.database, routing: 'READ' },
    );
    if (merged.records.length > 0) say('organisation nodes merged:');
    for (const r of merged.records) {
      say(
        `  ${String(r.get('at'))}: ${String(r.get('from'))} into ${String(r.get('into'))} — ${String(r.get('why'))}`,
      );
    }
    return 0;
  } finally {
    await driver.close();
  }
}

const [command, ...rest] = process.argv.slice(2);
(command === 'merges' ? mergesCommand(rest) : importCommand(rest)).then(
  (code) => process.exit(code),
  exitOnError(),
);
