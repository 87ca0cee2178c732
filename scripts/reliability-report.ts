/**
 * Writes RELIABILITY.md from the rows the reliability suite recorded in this run
 * (test-results/reliability.jsonl): one row per case — what was tried, the figure measured,
 * the result. Run by `npm run test:reliability` after the suite passes.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../src/config/index.js';
import { RESULTS, type Row } from '../test/reliability/support.js';

const rows = readFileSync(RESULTS, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line) as Row);
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const areas = [...new Set(rows.map((r) => r.area))];
const neo4j = readFileSync(path.join(projectRoot, 'neo4j/pom.xml'), 'utf8').match(
  /<neo4j\.version>([^<]+)</,
)?.[1];

const lines = [
  '# Reliability',
  '',
  'Produced by `npm run test:reliability` (also run by `.ci/run`), which fails when any case',
  'fails; this file is rewritten from the figures of the last passing run. Every case asserts',
  'the HTTP status and error code, that `/health` answered in under 1 s throughout, and that the',
  'graph did not change (a fingerprint of every node, relationship and property, before and',
  'after) — unless the case is about change.',
  '',
  `Run on ${new Date().toISOString().slice(0, 10)}: ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GB, Node.js ${process.version}, Neo4j ${neo4j ?? '?'} (the local test database).`,
  '',
];
for (const area of areas) {
  lines.push(`## ${area[0]!.toUpperCase()}${area.slice(1)}`, '');
  lines.push('| case | what was tried | figure | result |', '| --- | --- | --- | --- |');
  for (const r of rows.filter((row) => row.area === area)) {
    lines.push(`| ${cell(r.case)} | ${cell(r.tried)} | ${cell(r.figure)} | ${cell(r.result)} |`);
  }
  lines.push('');
}
writeFileSync(path.join(projectRoot, 'RELIABILITY.md'), lines.join('\n'));
console.log(`RELIABILITY.md: ${rows.length} cases in ${areas.length} areas`);
